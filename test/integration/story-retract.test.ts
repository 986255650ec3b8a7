/**
 * Corrections, retractions and editor's picks from the command line, as readers see them (the
 * real bot against the fake Bot API, on the real clock as the CLI's is): `bantin story retract`
 * takes the story out of /tim, /moi, the next digest and news as it happens, deletes the push
 * that carried it alone and strikes it from the digest that listed it (within Telegram's 48
 * hours, not older ones), and tells a Zalo reader once; `story refresh` edits a list with a new
 * headline; `story pin` heads the next digests until its time.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { enqueue, markSent } from "../../src/delivery/outbox";
import { runDigestTick } from "../../src/digest/run";
import { listAudit } from "../../src/editors/audit";
import { runInstantTick } from "../../src/instant/run";
import { silentLogger } from "../../src/logging";
import { storeArticle } from "../../src/news/articles";
import { findTopicBySlug } from "../../src/news/topics";
import { follow } from "../../src/readers/keywords";
import { setTopics } from "../../src/readers/reader-topics";
import { registerReader, setQuietHours } from "../../src/readers/readers";
import { localParts } from "../../src/text/time";
import { runCli } from "../helpers/cli";
import { outboxItemByKey } from "../helpers/db";
import { describeStores } from "../helpers/stores";
import {
  databaseEnv,
  type Harness,
  startTelegramHarness,
  textOf,
} from "../helpers/telegram-harness";

const HOUR = 60 * 60 * 1000;
const ZONE = "Asia/Ho_Chi_Minh";

describeStores(
  "retracting, refreshing and pinning a story, from the CLI, seen in chat",
  (store) => {
    let h: Harness;
    let env: Record<string, string>;
    let topic: number;
    let seq = 0;

    beforeAll(async () => {
      const url = await store.newDatabaseUrl();
      // The test ticks the digest and news flows itself: the bot's own minute tick stays out.
      h = await startTelegramHarness("polling", {
        databaseUrl: url,
        clock: () => new Date(),
        roles: ["web", "chat", "send"],
      });
      env = databaseEnv(url);
      topic = (await findTopicBySlug(h.db, "thoi-su"))?.id as number;
    }, 30_000);
    afterAll(async () => {
      await h?.stop();
    });

    const say = async (chat: number, text: string) => {
      const calls = await h.send(h.fake.message({ chatId: chat, fromId: chat, text }));
      return calls
        .filter((c) => c.method === "sendMessage")
        .map(textOf)
        .join("\n");
    };
    const story = async (title: string) => {
      const at = new Date(Date.now() - HOUR).toISOString();
      seq++;
      return (
        await storeArticle(h.db, {
          url: `https://tin.example/bai-${seq}-${Date.now()}.html`,
          contentHash: `desk-${seq}-${Date.now()}`,
          title,
          lead: `${title}: tóm tắt.`,
          body: [],
          photos: [],
          fullText: false,
          publishedAt: at,
          fetchedAt: at,
          topicId: topic,
        })
      ).id;
    };
    /** A reader whose digest time came a minute ago, signed up days ago. */
    const reader = async (platform: "telegram" | "zalo", chatId: string) => {
      const digestTime = localParts(new Date(Date.now() - 2 * 60_000), ZONE).time;
      const { reader: r } = await registerReader(
        h.db,
        { platform, chatId, chatType: "private" },
        { locale: "vi", timeZone: ZONE, digestTime },
        new Date(Date.now() - 72 * HOUR).toISOString(),
      );
      return r.id;
    };
    const digestTick = (at = new Date()) =>
      runDigestTick({ db: h.db, clock: () => at, logger: silentLogger(), perTopic: 50 });
    const sentRow = async (readerId: number, kind: string) =>
      h.db
        .selectFrom("outbox")
        .select(["id", "message_ids", "state", "idempotency_key"])
        .where("reader_id", "=", readerId)
        .where("kind", "=", kind)
        .executeTakeFirstOrThrow();
    const waitSent = async (readerId: number, kind: string) => {
      for (let i = 0; i < 200; i++) {
        const row = await sentRow(readerId, kind).catch(() => undefined);
        if (row?.state === "sent") return row;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`reader ${readerId}'s ${kind} was not sent`);
    };
    const firstId = (json: string | null) =>
      (JSON.parse(json ?? "[]") as number[][])[0]?.[0] as number;

    it("a retracted story leaves search, lists, digests and pushes, and its messages are withdrawn", async () => {
      // A keyword follower gets the story alone as it happens.
      const pushChat = 6202;
      const { reader: pushed } = await registerReader(
        h.db,
        { platform: "telegram", chatId: String(pushChat), chatType: "private" },
        { locale: "vi", timeZone: ZONE, digestTime: "07:00" },
        new Date(Date.now() - 72 * HOUR).toISOString(),
      );
      await setQuietHours(
        h.db,
        pushed.id,
        { from: "00:00", until: "00:00" },
        new Date().toISOString(),
      );
      await follow(h.db, pushed.id, "kho hóa chất", new Date().toISOString());
      const instantTick = () =>
        runInstantTick({
          db: h.db,
          clock: () => new Date(),
          logger: silentLogger(),
          batchMinutes: 10,
        });
      await instantTick(); // from now on

      const wrong = await story("Cháy kho hóa chất ở Bình Dương");
      const kept = await story("Giá xăng giảm từ chiều nay");
      await story("Mưa lớn ở miền Trung");
      await instantTick();

      const digestChat = 6201;
      const oldChat = 6203;
      const listed = await reader("telegram", String(digestChat));
      const old = await reader("telegram", String(oldChat));
      const zalo = await reader("zalo", "zalo-6204");
      for (const id of [listed, old, zalo]) await setTopics(h.db, id, [topic]);
      await digestTick();

      const push = await waitSent(pushed.id, "instant");
      const digest = await waitSent(listed, "digest");
      const oldDigest = await waitSent(old, "digest");
      // The outbox kept what Telegram answered: the message each row made.
      const pushMessage = firstId(push.message_ids);
      const digestMessage = firstId(digest.message_ids);
      expect(pushMessage).toBeGreaterThan(0);
      expect(String(h.fake.messageIn(digestChat, digestMessage)?.text)).toContain(
        "Cháy kho hóa chất",
      );
      // One digest is older than Telegram's 48 hours: it stays as it is.
      await h.db
        .updateTable("outbox")
        .set({ sent_at: new Date(Date.now() - 49 * HOUR).toISOString() })
        .where("id", "=", oldDigest.id)
        .execute();
      expect(h.fake.ageMessage(oldChat, firstId(oldDigest.message_ids), 49 * 3600)).toBe(true);
      // The Zalo reader's digest went too (no Zalo here: marked as the sender would).
      const zaloDigest = await sentRow(zalo, "digest");
      await markSent(h.db, zaloDigest.id, new Date().toISOString());

      expect(await say(digestChat, "/tim kho hoa chat")).toContain("Cháy kho hóa chất");
      const noReason = await runCli(["story", "retract", String(wrong), "--reason", " "], env);
      expect(noReason.code).not.toBe(0);
      expect(noReason.stderr).toContain("needs a reason");
      const pasted = "Sai địa điểm. ".repeat(60); // 840 characters: a page, not a reason
      const overlong = await runCli(["story", "retract", String(wrong), "--reason", pasted], env);
      expect(overlong.code).not.toBe(0);
      expect(overlong.stderr).toContain("at most 500 characters");
      // Refused before anything changed: the story is still found.
      expect(await say(digestChat, "/tim kho hoa chat")).toContain("Cháy kho hóa chất");

      // A push of it alone still waiting to go (due later) is held back.
      const waitingChat = 6206;
      const { reader: waitingReader } = await registerReader(
        h.db,
        { platform: "telegram", chatId: String(waitingChat), chatType: "private" },
        { locale: "vi", timeZone: ZONE, digestTime: "07:00" },
        new Date(Date.now() - 72 * HOUR).toISOString(),
      );
      const alone = await outboxItemByKey(h.db, push.idempotency_key);
      await enqueue(h.db, [
        {
          idempotencyKey: `instant:${waitingReader.id}:${wrong}`,
          readerId: waitingReader.id,
          platform: "telegram",
          kind: "instant",
          payload: alone?.payload ?? { parts: [] },
          nextAttemptAt: new Date(Date.now() + HOUR).toISOString(),
          stories: [wrong],
        },
      ]);

      const before = h.fake.calls.length;
      const retracted = await runCli(
        ["story", "retract", String(wrong), "--reason", "Sai địa điểm", "--json"],
        env,
      );
      expect(retracted.stderr).toBe("");
      expect(JSON.parse(retracted.stdout)).toMatchObject({
        id: wrong,
        changed: true,
        report: { deleted: 1, edited: 1, tooOld: 1, zaloNotices: 1, zaloOlder: 0, queued: 1 },
      });
      expect((await sentRow(waitingReader.id, "instant")).state).toBe("cancelled");

      await h.fake.waitFor((c) => c.method === "deleteMessage", 10_000);
      await h.fake.waitFor((c) => c.method === "editMessageText", 10_000);
      // The push that carried it alone is gone; the digest strikes it and keeps the others.
      expect(h.fake.messageIn(pushChat, pushMessage)).toBeUndefined();
      const edited = h.fake.messageIn(digestChat, digestMessage);
      expect(String(edited?.text)).toContain("Cháy kho hóa chất ở Bình Dương (đã gỡ)");
      expect(String(edited?.text)).toContain("Giá xăng giảm từ chiều nay");
      const buttons = JSON.stringify(edited?.reply_markup ?? {});
      expect(buttons).not.toContain(`"r:${wrong}"`);
      expect(buttons).toContain(`"r:${kept}"`);
      // Nothing was tried on the message older than 48 hours.
      const acted = h.fake.calls
        .slice(before)
        .filter((c) => c.method === "deleteMessage" || c.method.startsWith("editMessage"));
      expect(acted.map((c) => String(c.params.chat_id)).sort()).toEqual(
        [String(digestChat), String(pushChat)].sort(),
      );

      // The Zalo reader is told once, in their language.
      const notice = await outboxItemByKey(h.db, `retract-notice:${wrong}:${zalo}`);
      expect(notice?.kind).toBe("notice");
      expect(notice?.payload.parts.map((p) => ("text" in p ? p.text : ""))).toEqual([
        "Tòa soạn đã gỡ bài «Cháy kho hóa chất ở Bình Dương» gửi bạn trước đó. Xin bỏ qua bài này.",
      ]);
      const again = await runCli(["story", "retract", String(wrong), "--reason", "lần nữa"], env);
      expect(again.stdout).toContain("already retracted; nothing changed");
      const notices = await h.db
        .selectFrom("outbox")
        .select("id")
        .where("kind", "=", "notice")
        .where("reader_id", "=", zalo)
        .execute();
      expect(notices).toHaveLength(1);

      // Gone from search, lists, the next digest and news as it happens.
      expect(await say(digestChat, "/tim kho hoa chat")).not.toContain("Cháy kho hóa chất");
      expect(await say(digestChat, "/moi")).not.toContain("Cháy kho hóa chất");
      const unhide = await runCli(["story", "unhide", String(wrong)], env);
      expect(unhide.stderr).toContain("was retracted");
      const nextReader = await reader("telegram", "6205");
      await setTopics(h.db, nextReader, [topic]);
      await digestTick();
      const next = await outboxItemByKey(
        h.db,
        (await sentRow(nextReader, "digest")).idempotency_key,
      );
      const nextText = next?.payload.parts.map((p) => ("text" in p ? p.text : "")).join("\n");
      expect(nextText).toContain("Giá xăng giảm");
      expect(nextText).not.toContain("Cháy kho hóa chất");
      await follow(h.db, pushed.id, "bình dương", new Date().toISOString());
      await instantTick();
      const pushes = await h.db
        .selectFrom("outbox")
        .select("id")
        .where("reader_id", "=", pushed.id)
        .where("kind", "=", "instant")
        .execute();
      expect(pushes).toHaveLength(1);

      const [entry] = (await listAudit(h.db, { limit: 20 })).filter(
        (e) => e.action === "story.retract",
      );
      expect(entry?.actor).toBe("cli");
      expect(entry?.detail).toMatchObject({ articleId: wrong, reason: "Sai địa điểm", deleted: 1 });

      // A headline corrected at its source: refresh edits the lists that carried it.
      await h.db
        .updateTable("articles")
        .set({ title: "Giá xăng giảm mạnh từ chiều nay" })
        .where("id", "=", kept)
        .execute();
      const editsBefore = h.fake.callsTo("editMessageText").length;
      const refreshed = await runCli(["story", "refresh", String(kept), "--json"], env);
      expect(refreshed.stderr).toBe("");
      expect(JSON.parse(refreshed.stdout).report).toMatchObject({ tooOld: 1 });
      expect(JSON.parse(refreshed.stdout).report.edited).toBeGreaterThanOrEqual(1);
      await h.fake.waitFor(
        (c) =>
          c.method === "editMessageText" &&
          String(c.params.chat_id) === String(digestChat) &&
          String(c.params.text).includes("Giá xăng giảm mạnh"),
        10_000,
      );
      const corrected = String(h.fake.messageIn(digestChat, digestMessage)?.text);
      expect(corrected).toContain("Giá xăng giảm mạnh từ chiều nay");
      expect(corrected).toContain("(đã gỡ)"); // the retraction stays struck
      expect(h.fake.callsTo("editMessageText").length).toBeGreaterThan(editsBefore);
    }, 60_000);

    it("a pinned story heads the next digests until its time, once", async () => {
      const pick = await story("Tin nổi bật của tòa soạn");
      const other = await story("Một tin khác trong ngày");
      const chat = 6301;
      const id = await reader("telegram", String(chat));
      await setTopics(h.db, id, [topic]);

      const bad = await runCli(["story", "pin", String(pick), "--until", "mai"], env);
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toContain('--until "mai" is not a time');
      const until = new Date(Date.now() + 2 * HOUR);
      const pinned = await runCli(
        ["story", "pin", String(pick), "--until", until.toISOString(), "--json"],
        env,
      );
      expect(pinned.stderr).toBe("");
      expect(JSON.parse(pinned.stdout)).toMatchObject({
        id: pick,
        pinnedUntil: until.toISOString(),
      });

      await digestTick();
      const row = await sentRow(id, "digest");
      const text = (await outboxItemByKey(h.db, row.idempotency_key))?.payload.parts
        .map((p) => ("text" in p ? p.text : ""))
        .join("\n");
      expect(text).toMatch(/📌 Tin nổi bật<\/b>\n1\. <a [^>]+>Tin nổi bật của tòa soạn<\/a>/);
      expect(text?.split("Tin nổi bật của tòa soạn")).toHaveLength(2); // once, not in its topic
      expect(text).toContain("Một tin khác trong ngày");
      expect(other).toBeGreaterThan(pick);

      // After its time, the next digests carry no pick.
      const later = await reader("telegram", "6302");
      await setTopics(h.db, later, [topic]);
      await digestTick(new Date(until.getTime() + 60_000));
      const afterRow = await h.db
        .selectFrom("outbox")
        .select("idempotency_key")
        .where("reader_id", "=", later)
        .executeTakeFirst();
      const afterText = afterRow
        ? (await outboxItemByKey(h.db, afterRow.idempotency_key))?.payload.parts
            .map((p) => ("text" in p ? p.text : ""))
            .join("\n")
        : "";
      expect(afterText).not.toContain("📌");

      const unpinned = await runCli(["story", "unpin", String(pick)], env);
      expect(unpinned.stdout).toContain(`Story ${pick} is unpinned`);
      const twice = await runCli(["story", "unpin", String(pick)], env);
      expect(twice.stdout).toContain("was not pinned; nothing changed");
    }, 60_000);
  },
);
