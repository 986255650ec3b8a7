/**
 * The HTTP server on its own, as a later part (the web console) would use it: plugins with
 * their own routes and schemas, a handler's error as a 500 with one log line, refusals as 4xx
 * with a reason, and quiet logs (no line per request).
 */
import { type AddressInfo, createServer } from "node:net";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type HttpServer, startHttpServer } from "../../src/http/server";
import { webhookRoute } from "../../src/http/webhook";

describe("the HTTP server", () => {
  let http: HttpServer;
  const lines: { level: number; msg: string; path?: string; error?: string }[] = [];
  const stored: unknown[] = [];
  beforeAll(async () => {
    const logger = pino(
      { level: "info" },
      { write: (line: string) => lines.push(JSON.parse(line)) },
    );
    http = await startHttpServer(
      {
        host: "127.0.0.1",
        port: 0,
        plugins: [
          async (app) => {
            app.get("/boom", async () => {
              throw new Error("the handler broke");
            });
            app.post(
              "/things",
              {
                schema: {
                  body: {
                    type: "object",
                    required: ["name"],
                    properties: { name: { type: "string", minLength: 1 } },
                  },
                },
              },
              async (request) => ({ got: (request.body as { name: string }).name }),
            );
          },
          webhookRoute({
            path: "/hook",
            secretHeader: "x-secret",
            secret: "s3cret-value",
            running: () => true,
            notRunning: "not running",
            check: (body) =>
              typeof body === "object" && body !== null && "id" in body
                ? { value: body }
                : { error: "no id" },
            store: async (value) => {
              stored.push(value);
            },
          }),
        ],
      },
      logger,
    );
  });
  afterAll(() => http?.close());

  it("a port already taken is one line naming HTTP_PORT and what to do", async () => {
    const port = Number(new URL(http.url).port);
    await expect(
      startHttpServer(
        { host: "127.0.0.1", port, plugins: [], portWaitMs: 300 },
        pino({ level: "silent" }),
      ),
    ).rejects.toThrow(
      new Error(
        `HTTP_PORT: 127.0.0.1:${port} is already in use (another bantin?); give each process a port of its own, or HTTP_PORT=0 for any free one`,
      ),
    );
    // The server that holds it serves on.
    expect((await fetch(`${http.url}/boom`)).status).toBe(500);
  });

  it("waits for a port that the process it replaces is letting go", async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as AddressInfo).port;
    const said: string[] = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => void said.push(line) });
    setTimeout(() => holder.close(), 600);
    const next = await startHttpServer({ host: "127.0.0.1", port, plugins: [] }, logger);
    try {
      expect(next.url).toBe(`http://127.0.0.1:${port}`);
      expect(said.join("")).toContain(`HTTP_PORT ${port} is in use; waiting for it`);
    } finally {
      await next.close();
    }
  });

  it("a handler's error is a 500 with one log line naming the path", async () => {
    const before = lines.length;
    const answer = await fetch(`${http.url}/boom`);
    expect(answer.status).toBe(500);
    expect(await answer.text()).toBe("internal error\n");
    const logged = lines.slice(before);
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      level: 50,
      msg: "request failed",
      path: "/boom",
      error: "the handler broke",
    });
  });

  it("a plugin's JSON schema refuses a body with 400 and the reason, and takes a good one", async () => {
    const bad = await fetch(`${http.url}/things`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "" }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { description: string }).description).toMatch(/name/);
    const good = await fetch(`${http.url}/things`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "bản tin" }),
    });
    expect(await good.json()).toEqual({ got: "bản tin" });
  });

  it("a webhook: 401 before its body is read, 400 with the check's reason, 200 once stored", async () => {
    const post = (body: string, secret?: string) =>
      fetch(`${http.url}/hook`, {
        method: "POST",
        headers: { "content-type": "text/plain", ...(secret ? { "x-secret": secret } : {}) },
        body,
      });
    const wrong = await post("{not json", "s3cret-valuE");
    expect(wrong.status).toBe(401);
    const notJson = await post("{not json", "s3cret-value");
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ ok: false, description: "the body is not JSON" });
    const refused = await post("{}", "s3cret-value");
    expect(await refused.json()).toEqual({ ok: false, description: "no id" });
    // Whatever content type it declares, a webhook body is JSON.
    const ok = await post('{"id": 7}', "s3cret-value");
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true });
    expect(stored).toEqual([{ id: 7 }]);
  });

  it("over 1 MiB is 413 with the reason, and the connection closes", async () => {
    const answer = await fetch(`${http.url}/hook`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-secret": "s3cret-value" },
      body: " ".repeat(1024 * 1024 + 1),
    });
    expect(answer.status).toBe(413);
    expect(answer.headers.get("connection")).toBe("close");
    expect(await answer.json()).toEqual({
      ok: false,
      description: "the body is larger than 1 MiB",
    });
  });

  it("logs no line per request at info", async () => {
    const before = lines.length;
    for (let i = 0; i < 5; i++) expect((await fetch(`${http.url}/nowhere`)).status).toBe(404);
    expect(lines.slice(before)).toEqual([]);
    expect(lines.filter((l) => l.msg.startsWith("http server listening"))).toHaveLength(1);
  });
});
