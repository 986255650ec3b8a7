/** What every console page and route gets: its dependencies, and who asks in which language. */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { PhotoCheck } from "../../broadcasts/photo";
import type { Clock } from "../../clock";
import type { AdminId } from "../../config";
import type { Db } from "../../db/schema";
import type { Logger } from "../../logging";
import type { ConsoleCatalogue } from "../../message/i18n/console";
import { catalogue, type Locale, toLocale } from "../../message/i18n/index";
import type { EditorServices } from "../../services";

export interface ConsoleDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  /** ADMIN_WEB_TOKEN: also allows the sign-in form. */
  adminWebToken?: string;
  /** NEWSROOM_NAME. */
  newsroom: string;
  /** The newsroom's time zone (times are shown in it). */
  timeZone: string;
  /** What editors change goes through these (feeds, topics, deliveries, signing in). */
  services: EditorServices;
  /** ADMINS: where a test of breaking news goes (their own chats). */
  editors?: readonly AdminId[];
  /** The platforms with a token: the only ones compose offers (all where unset). */
  platforms?: readonly ("telegram" | "zalo")[];
  /** Reads a breaking-news photo's address once, through the fetch guard. */
  checkPhoto?: (url: string) => Promise<PhotoCheck>;
}

/** The language cookie: vi unless the admin chose en. */
export const LANGUAGE_COOKIE = "bantin_lang";

/** One request's view: the admin (signed in), the language and the form token. */
export interface PageContext {
  t: ConsoleCatalogue;
  locale: Locale;
  /** "telegram:<id>", "zalo:<id>" or "token"; "" before signing in. */
  admin: string;
  /** The name the platform gave the signed-in editor, when one is kept. */
  adminName: string | null;
  /** NEWSROOM_NAME, in the header and the title. */
  newsroom: string;
  /** The CSRF token every form of this page carries. */
  csrf: string;
  /** The path asked for (no query), for the language switch. */
  path: string;
  now(): string;
  /** A count as the admin's language writes it ("1.234" in Vietnamese, "1,234" in English). */
  number(n: number): string;
}

const NUMBER_FORMATS: Record<Locale, Intl.NumberFormat> = {
  vi: new Intl.NumberFormat("vi-VN"),
  en: new Intl.NumberFormat("en-GB"),
};

declare module "fastify" {
  interface FastifyRequest {
    /** The signed-in admin, set by the console's session check. */
    consoleAdmin?: string;
    /** Their kept name, set with it. */
    consoleAdminName?: string | null;
  }
}

export function pageContext(
  deps: ConsoleDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): PageContext {
  const locale: Locale = toLocale(request.cookies?.[LANGUAGE_COOKIE]);
  return {
    t: catalogue(locale).console,
    locale,
    admin: request.consoleAdmin ?? "",
    adminName: request.consoleAdminName ?? null,
    newsroom: deps.newsroom,
    csrf: reply.generateCsrf(),
    path: request.url.split("?")[0] ?? "/admin",
    now: () => deps.clock().toISOString(),
    number: (n) => NUMBER_FORMATS[locale].format(n),
  };
}
