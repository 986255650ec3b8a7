/**
 * `bantin ingest` as a real process: stopped by a real SIGTERM while story pages hang (the
 * fetches in flight are cut, the process exits within 5 s with status 1 and one line), and its
 * logs on a real stderr (one JSON object a line, each before the command's own error line).
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeNewsSite, startFakeNewsSite } from "../fakes/news-site";
import { BIN, newSqliteUrl, runCli, scratchDir, spawnCli } from "../helpers/cli";

describe("bantin ingest and SIGTERM", { timeout: 60_000 }, () => {
  let site: FakeNewsSite;
  let env: Record<string, string>;
  beforeAll(async () => {
    site = await startFakeNewsSite();
    env = {
      DATABASE_URL: newSqliteUrl("signals.db"),
      FETCH_ALLOW_PRIVATE: "127.0.0.1",
    };
    for (const args of [
      ["category", "add", "van-hoa", "--vi", "Văn hóa", "--en", "Culture"],
      ["source", "add", site.feedUrl("van-hoa"), "--category", "van-hoa", "--full-text"],
    ]) {
      expect((await runCli(args, env)).code).toBe(0);
    }
  });
  afterAll(() => site?.close());

  it("stops at once: fetches in flight are cut, the process exits within 5 s", async () => {
    for (let i = 0; i < 3; i++) {
      site.addArticle({
        id: 483_000 + i,
        title: `Hội diễn nghệ thuật quần chúng lần thứ ${i + 1}`,
        lead: "Các đội văn nghệ tham gia với nhiều tiết mục đặc sắc.",
        body: ["Hội diễn thu hút đông đảo người dân đến xem và cổ vũ các đội tham gia."],
        categories: ["van-hoa"],
        author: "Thu Hà",
        publishedAt: "27/01/2026 07:00",
        image: "/uploads/2026/01/27/hoi-dien.jpg",
      });
      site.fail(site.articlePath(483_000 + i), "timeout");
    }
    const child = spawn(process.execPath, [BIN, "ingest", "--all"], {
      cwd: scratchDir(),
      env: { PATH: process.env.PATH ?? "", ...env, LOG_LEVEL: "error" },
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", resolve));
    // Wait until a story page hangs, then stop.
    const deadline = Date.now() + 15_000;
    while (!site.requests.some((r) => r.path.includes("-post48300")) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(site.requests.some((r) => r.path.includes("-post48300"))).toBe(true);
    const stopped = Date.now();
    child.kill("SIGTERM");
    const code = await exited;
    expect(Date.now() - stopped).toBeLessThan(5000);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^bantin: interrupted; /);
  });
});

describe("bantin ingest's logs on a real stderr", { timeout: 60_000 }, () => {
  let site: FakeNewsSite;
  beforeAll(async () => {
    site = await startFakeNewsSite();
  });
  afterAll(() => site?.close());

  it("stay JSON, one object a line, each before the command's own error line", async () => {
    const env = {
      DATABASE_URL: newSqliteUrl("logs.db"),
      FETCH_ALLOW_PRIVATE: "127.0.0.1",
      LOG_LEVEL: "info",
    };
    expect(
      (await runCli(["category", "add", "thoi-su", "--vi", "Thời sự", "--en", "News"], env)).code,
    ).toBe(0);
    expect(
      (await runCli(["source", "add", site.feedUrl("thoi-su"), "--category", "thoi-su"], env)).code,
    ).toBe(0);
    site.fail("/rss/thoi-su.rss", { kind: "status", status: 503 });
    const { code, stderr } = await spawnCli(["ingest", "--all"], env);
    expect(code).toBe(1);
    const lines = stderr.trimEnd().split("\n");
    expect(lines.at(-1)).toMatch(/^bantin: 1 of 1 feeds failed/);
    const logs = lines.slice(0, -1).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 40, msg: "feed failed", app: "bantin" }),
    );
    expect(stderr).not.toContain("\u001b["); // no colours, no cursor movement
  });
});

describe("a DATABASE_URL with sslmode, on a real stderr", () => {
  it("is one line: the driver's ten-line warning is not printed", async () => {
    // Nothing listens on port 9: the connection fails after the URL was read.
    const { code, stderr } = await spawnCli(["stats"], {
      DATABASE_URL: "postgres://bantin@127.0.0.1:9/bantin?sslmode=require",
    });
    expect(code).toBe(1);
    expect(stderr).not.toMatch(/SECURITY WARNING/);
    expect(stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(stderr).toMatch(/^bantin: DATABASE_URL: cannot connect to PostgreSQL/);
  });
});
