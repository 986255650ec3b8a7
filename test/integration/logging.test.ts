/**
 * Logs: one JSON object a line when stderr is not a terminal (a real `bantin ingest` whose feed
 * fails), pretty lines when asked, and held while a progress bar shows, then written in order.
 */
import { EventEmitter } from "node:events";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger, holdLogsDuring } from "../../src/logging";
import { type FakeNewsSite, startFakeNewsSite } from "../fakes/news-site";
import { newSqliteUrl, runCli } from "../helpers/cli";

describe("logs", () => {
  let site: FakeNewsSite;
  beforeAll(async () => {
    site = await startFakeNewsSite();
  });
  afterAll(() => site?.close());

  it("stay JSON, one object a line, when stderr is not a terminal", async () => {
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
    const { code, stderr } = await runCli(["ingest", "--all"], env);
    site.clearFailures();
    expect(code).toBe(1);
    const lines = stderr.trimEnd().split("\n");
    // The last line is the command's own one-line error; every line before it is a JSON log.
    expect(lines.at(-1)).toMatch(/^bantin: 1 of 1 feeds failed/);
    const logs = lines.slice(0, -1).map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logs).toContainEqual(
      expect.objectContaining({ level: 40, msg: "feed failed", app: "bantin" }),
    );
    expect(stderr).not.toContain("\u001b["); // no colours, no cursor movement
  });

  it("are pretty lines when asked (as on a terminal)", async () => {
    let text = "";
    const out = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString();
        done();
      },
    });
    createLogger("info", out, { pretty: true }).warn({ feed: 7 }, "feed failed");
    await new Promise((r) => setTimeout(r, 50));
    expect(text).toMatch(/WARN.*feed failed/);
    expect(text).toMatch(/feed: 7/);
    expect(() => JSON.parse(text)).toThrow();
  });

  it("wait while a progress bar shows, then come out in order", () => {
    const written: string[] = [];
    const logger = createLogger("info", { write: (line: string) => written.push(line) });
    const bar = new EventEmitter();
    holdLogsDuring(bar);
    logger.info("before");
    bar.emit("start");
    logger.info("during 1");
    logger.warn("during 2");
    expect(written.map((l) => JSON.parse(l).msg)).toEqual(["before"]);
    bar.emit("stop");
    expect(written.map((l) => JSON.parse(l).msg)).toEqual(["before", "during 1", "during 2"]);
    bar.emit("stop"); // a second stop changes nothing
    logger.info("after");
    expect(written).toHaveLength(4);
  });
});
