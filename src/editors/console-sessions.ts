/**
 * Who may use the web console: one-time sign-in links (from the bot's /admin, valid a few
 * minutes, redeemed once), the sessions they open, and the key that signs the console's cookies.
 * Tokens are random and only their SHA-256 is stored. Every process on the database shares them.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Db } from "../db/schema";

/** A sign-in link is good for this long. */
export const SIGN_IN_LINK_MINUTES = 5;
/** A console session lasts this long; signing in again starts a new one. */
export const SESSION_HOURS = 12;

/** The admin signed in with ADMIN_WEB_TOKEN rather than a link from the bot. */
export const TOKEN_ADMIN = "token";

const hash = (token: string) => createHash("sha256").update(token).digest("hex");
const newToken = () => randomBytes(32).toString("base64url");
const plus = (now: string, ms: number) => new Date(Date.parse(now) + ms).toISOString();

/** Makes a one-time sign-in link token for `admin` ("telegram:<id>", "zalo:<id>"). */
export async function createSignInLink(db: Db, admin: string, now: string): Promise<string> {
  const token = newToken();
  await db
    .insertInto("admin_web_sessions")
    .values({
      token_hash: hash(token),
      kind: "link",
      admin,
      created_at: now,
      expires_at: plus(now, SIGN_IN_LINK_MINUTES * 60_000),
    })
    .execute();
  return token;
}

/** Whether a link token is still good (shown before it is redeemed); does not use it. */
export async function signInLinkIsValid(db: Db, token: string, now: string): Promise<boolean> {
  const row = await db
    .selectFrom("admin_web_sessions")
    .select("admin")
    .where("token_hash", "=", hash(token))
    .where("kind", "=", "link")
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Redeems a link: answers its admin once, while it is unexpired; a second try, an expired or an
 * unknown token answers null. One statement, so two processes cannot both redeem it.
 */
export async function redeemSignInLink(db: Db, token: string, now: string): Promise<string | null> {
  const row = await db
    .updateTable("admin_web_sessions")
    .set({ used_at: now })
    .where("token_hash", "=", hash(token))
    .where("kind", "=", "link")
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .returning("admin")
    .executeTakeFirst();
  return row?.admin ?? null;
}

/** Opens a session for `admin`; answers its token (for the cookie). */
export async function createSession(db: Db, admin: string, now: string): Promise<string> {
  const token = newToken();
  await db
    .insertInto("admin_web_sessions")
    .values({
      token_hash: hash(token),
      kind: "session",
      admin,
      created_at: now,
      expires_at: plus(now, SESSION_HOURS * 3_600_000),
    })
    .execute();
  return token;
}

/** The admin of an unexpired session, or null. */
export async function findSession(
  db: Db,
  token: string,
  now: string,
): Promise<{ admin: string; expiresAt: string } | null> {
  const row = await db
    .selectFrom("admin_web_sessions")
    .select(["admin", "expires_at"])
    .where("token_hash", "=", hash(token))
    .where("kind", "=", "session")
    .where("expires_at", ">", now)
    .executeTakeFirst();
  return row ? { admin: row.admin, expiresAt: row.expires_at } : null;
}

/** Signs a session out (its token no longer works anywhere). */
export async function endSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom("admin_web_sessions").where("token_hash", "=", hash(token)).execute();
}

/** Forgets links and sessions that ended before `now`. */
export async function purgeExpiredSessions(db: Db, now: string): Promise<number> {
  const result = await db
    .deleteFrom("admin_web_sessions")
    .where("expires_at", "<=", now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/**
 * The key that signs the console's cookies: made by the first process that asks and shared by
 * all (a second process's insert loses to the first and reads it).
 */
export async function cookieKey(db: Db): Promise<string> {
  await db
    .insertInto("admin_web_keys")
    .values({ name: "cookie", value: randomBytes(32).toString("base64url") })
    .onConflict((oc) => oc.column("name").doNothing())
    .execute();
  const row = await db
    .selectFrom("admin_web_keys")
    .select("value")
    .where("name", "=", "cookie")
    .executeTakeFirstOrThrow();
  return row.value;
}
