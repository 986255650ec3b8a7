/**
 * The console as an editor uses it: the real bot (startBantin) against the fake Bot API, an
 * admin who asks the bot for /admin and follows the link, and a small browser-like HTTP client
 * (a cookie jar, the CSRF token of the last page, redirects by hand) on 127.0.0.1.
 */
import { expect } from "vitest";
import { type Harness, startTelegramHarness, textOf } from "./telegram-harness";

export const CONSOLE_ADMIN = 42;
export const CONSOLE_TOKEN = "console-token-0123456789";
/** The name Telegram gives the admin (their first and last name). */
export const CONSOLE_ADMIN_NAME = "Thu Hà";

export interface ConsoleResponse {
  status: number;
  headers: Headers;
  body: string;
  /** Where a redirect points (path and query), else "". */
  location: string;
}

/** A browser, roughly: keeps cookies, knows the CSRF token of the last page it read. */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  csrf = "";

  constructor(readonly base: string) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private async handle(response: Response): Promise<ConsoleResponse> {
    for (const line of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = line.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at).trim();
      const value = pair.slice(at + 1).trim();
      const expired = attributes.some((a) => /expires=thu, 01 jan 1970/i.test(a.trim()));
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const body = await response.text();
    const token = /name="_csrf" value="([^"]+)"/.exec(body)?.[1];
    if (token) this.csrf = token;
    return {
      status: response.status,
      headers: response.headers,
      body,
      location: response.headers.get("location") ?? "",
    };
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<ConsoleResponse> {
    return this.handle(
      await fetch(this.base + path, {
        redirect: "manual",
        headers: { cookie: this.cookieHeader(), ...headers },
      }),
    );
  }

  /** Posts a form; the page's CSRF token goes with it unless `csrf: false` (or one is given). */
  async post(
    path: string,
    form: Record<string, string> = {},
    options: { csrf?: boolean } = {},
  ): Promise<ConsoleResponse> {
    const fields = { ...(options.csrf === false ? {} : { _csrf: this.csrf }), ...form };
    return this.handle(
      await fetch(this.base + path, {
        method: "POST",
        redirect: "manual",
        headers: {
          cookie: this.cookieHeader(),
          "content-type": "application/x-www-form-urlencoded",
        },
        body: new URLSearchParams(fields).toString(),
      }),
    );
  }

  /** Follows a redirect answer with a GET, as a browser would. */
  async follow(response: ConsoleResponse): Promise<ConsoleResponse> {
    expect(response.status, response.body).toBeGreaterThanOrEqual(300);
    expect(response.status).toBeLessThan(400);
    return this.get(response.location);
  }
}

export interface ConsoleHarness extends Harness {
  /** Asks the bot for /admin as the admin and answers the link it sent. */
  signInLink(): Promise<string>;
  /** A client signed in through a link from the bot. */
  signedIn(): Promise<ConsoleClient>;
  client(): ConsoleClient;
}

export async function startConsoleHarness(
  options: { env?: Record<string, string>; databaseUrl?: string; clock?: () => Date } = {},
): Promise<ConsoleHarness> {
  const h = await startTelegramHarness("polling", {
    admins: `telegram:${CONSOLE_ADMIN},zalo:7`,
    env: { ADMIN_WEB_TOKEN: CONSOLE_TOKEN, ...options.env },
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  const base = h.running.http.url;
  async function signInLink(): Promise<string> {
    const calls = await h.send(
      h.fake.message({
        chatId: CONSOLE_ADMIN,
        fromId: CONSOLE_ADMIN,
        firstName: CONSOLE_ADMIN_NAME,
        text: "/admin",
      }),
    );
    const text = textOf(calls.filter((c) => c.method === "sendMessage").at(-1));
    const link = /(https?:\/\/\S+\/admin\/login\/[A-Za-z0-9_-]+)/.exec(text)?.[1];
    if (!link) throw new Error(`no sign-in link in: ${text}`);
    return link;
  }
  return {
    ...h,
    signInLink,
    client: () => new ConsoleClient(base),
    async signedIn() {
      const client = new ConsoleClient(base);
      const link = await signInLink();
      await client.get(new URL(link).pathname);
      const answer = await client.post(new URL(link).pathname);
      expect(answer.status, answer.body).toBe(303);
      return client;
    },
  };
}
