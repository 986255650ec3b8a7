import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli";

// "7" is "Xong" (after the five topics and "⚙️ Cách nhận tin").
const SCRIPT = ["/start", "1", "3", "7", "/tim doi ngoai", "1", "/thoat"].join("\n");

function expectDemoConversation(stdout: string): void {
  expect(stdout).toContain("bantin demo");
  // /start: greeting and the numbered topics
  expect(stdout).toMatch(/Xin chào! Tôi là bản tin/);
  expect(stdout).toMatch(/\[1\] Thời sự\n\[2\] Kinh tế\n\[3\] Xã hội/);
  // picking topics by number ticks them; "Xong" saves
  expect(stdout).toMatch(/\[1\] ✅ Thời sự/);
  expect(stdout).toMatch(/\[3\] ✅ Xã hội/);
  expect(stdout).toContain("Đã lưu. Bạn đang theo dõi: Thời sự, Xã hội.");
  // search without accents, then read the first result
  expect(stdout).toContain("Kết quả tìm “doi ngoai”");
  expect(stdout).toMatch(/\[1\] 📖 Đọc 1: Nâng cao chất lượng/);
  expect(stdout).toMatch(
    /(\n|> )Nâng cao chất lượng công tác thông tin đối ngoại về quyền con người\n/,
  );
  expect(stdout).toContain("Hội nghị có sự tham gia của 280 đại biểu");
  expect(stdout).toContain("Quang cảnh hội nghị.");
  expect(stdout).not.toContain("Tin cùng chuyên mục");
}

describe("the demo in the terminal", { timeout: 60_000 }, () => {
  it("`bantin demo`: start, pick topics by number, search doi ngoai, read the story", async () => {
    const result = await runCli(["demo"], {}, { input: SCRIPT });
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expectDemoConversation(result.stdout);
  });

  it("`npm start` with no token and no .env runs the demo", async () => {
    const result = await runCli(["start"], { LOG_LEVEL: "warn" }, { input: SCRIPT });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^bantin: no platform token set, so this is the demo/);
    expectDemoConversation(result.stdout);
  });

  it("ends quietly at the end of input, and answers nonsense without crashing", async () => {
    const result = await runCli(["demo"], {}, { input: "/khongco\n99\n\n🎉\n" });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Tôi chưa hiểu lệnh /khongco");
  });
});
