/**
 * What every webhook route needs, as one Fastify plugin: a secret compared in constant time
 * (401), a platform that is served (503), a JSON body of at most 1 MiB whatever its declared type (413,
 * 400 when it is not JSON or nests too deeply), the platform's own check of the update's shape
 * as the route's body schema (400 with the reason), and a 200 once the update is stored.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { FastifyRequest } from "fastify";
import type { HttpPlugin } from "./server";

/** Platforms send small updates; anything larger is refused (413) before it is read whole. */
export const MAX_WEBHOOK_BODY = 1024 * 1024;

/** Updates are shallow; a body nested deeper than this is refused (it would exhaust the stack). */
export const MAX_WEBHOOK_DEPTH = 64;

/** Compares secrets in constant time, whatever their lengths. */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = createHash("sha256").update(given).digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b);
}

/** The request's header as one string, if it was sent once. */
function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === "string" ? value : undefined;
}

/** How deeply the JSON text nests arrays and objects (strings are skipped). */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (inString) {
      if (ch === 0x5c)
        i++; // backslash: skip the escaped character
      else if (ch === 0x22) inString = false;
    } else if (ch === 0x22) inString = true;
    else if (ch === 0x5b || ch === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (ch === 0x5d || ch === 0x7d) depth--;
  }
  return deepest;
}

const badRequest = (description: string) =>
  Object.assign(new Error(description), { statusCode: 400 });

/** Reads a webhook body as JSON, whatever content type it declares (platforms differ). */
export function parseWebhookJson(raw: Buffer): unknown {
  const text = raw.toString("utf8");
  if (nestingDepth(text) > MAX_WEBHOOK_DEPTH) {
    throw badRequest("the body nests too deeply to be an update");
  }
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("the body is not JSON");
  }
}

/** The platform's check of a parsed body: the value to store, or why it is refused. */
export type WebhookCheck<T> = (body: unknown) => { value: T } | { error: string };

export interface WebhookRoute<T> {
  /** e.g. "/telegram/webhook" */
  path: string;
  /** The header carrying the secret, lower case. */
  secretHeader: string;
  secret: string;
  running(): boolean;
  /** Said with the 503 while the platform is not served. */
  notRunning: string;
  check: WebhookCheck<T>;
  /** Resolves once the update is stored (then it is acknowledged). */
  store(value: T): Promise<void>;
}

/** A webhook as a plugin for `startHttpServer`. */
export function webhookRoute<T>(route: WebhookRoute<T>): HttpPlugin {
  return async (app) => {
    // Whatever it is labelled, a webhook body is read as JSON, up to 1 MiB.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser(
      "*",
      { parseAs: "buffer", bodyLimit: MAX_WEBHOOK_BODY },
      async (_request: FastifyRequest, body: Buffer) => parseWebhookJson(body),
    );
    app.post(route.path, {
      // Before the body is read: the secret, then whether the platform is served.
      onRequest: async (request, reply) => {
        if (!sameSecret(header(request, route.secretHeader), route.secret)) {
          return reply.code(401).send({ ok: false, description: "wrong secret token" });
        }
        if (!route.running()) {
          return reply.code(503).send({ ok: false, description: route.notRunning });
        }
      },
      // The platform's own check is the body's schema: a refusal is a 400 with its reason.
      schema: { body: { check: route.check } },
      validatorCompiler: () => (body: unknown) => {
        const checked = route.check(body);
        return "error" in checked ? { error: badRequest(checked.error) } : { value: checked };
      },
      handler: async (request) => {
        // Stored before the answer: an acknowledged update is never lost.
        await route.store((request.body as { value: T }).value);
        return { ok: true };
      },
    });
  };
}
