/**
 * Button actions, typed, and their compact encoding (Telegram allows 64 bytes of callback
 * data). Decoding never trusts its input: anything stale or forged decodes to null.
 */
export type Action =
  | { kind: "topic"; topicId: number }
  | { kind: "topicsDone" }
  /** The list of followed topics with how their news comes. */
  | { kind: "topicModes" }
  /** One topic's delivery mode: the choice screen, or (with `mode`) that choice. */
  | { kind: "topicMode"; topicId: number; mode?: "digest" | "instant" | "both" }
  /** Open a story; from a broadcast's button, with its id, so the open counts for it. */
  | { kind: "read"; articleId: number; broadcastId?: number }
  | { kind: "latest"; topicId: number | null; page: number }
  | { kind: "search"; page: number; query: string }
  | { kind: "digest"; page: number }
  | { kind: "stop"; confirm: boolean }
  /** Erase the reader's data (/xoadulieu), or keep it. */
  | { kind: "erase"; confirm: boolean }
  | { kind: "lang"; locale: "vi" | "en" }
  /** Confirm (send) or cancel (stop) a breaking-news broadcast. */
  | { kind: "broadcast"; id: number; confirm: boolean }
  /** Send a broadcast, as readers would get it, to the editors' own chats only. */
  | { kind: "broadcastTest"; id: number }
  | { kind: "noop" };

export const MAX_ACTION_BYTES = 64;
const MAX_ID = 2 ** 31;

function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** Cuts text so that prefix + text fits in the byte budget, at a whole character. */
function fitBytes(prefix: string, text: string): string {
  let out = text;
  while (byteLength(prefix + out) > MAX_ACTION_BYTES) out = [...out].slice(0, -1).join("");
  return prefix + out.trim();
}

export function encodeAction(action: Action): string {
  switch (action.kind) {
    case "topic":
      return `t:${action.topicId}`;
    case "topicsDone":
      return "td";
    case "topicModes":
      return "tms";
    case "topicMode":
      return `tm:${action.topicId}${action.mode ? `:${action.mode[0]}` : ""}`;
    case "read":
      return `r:${action.articleId}${action.broadcastId ? `:${action.broadcastId}` : ""}`;
    case "latest":
      return `l:${action.topicId ?? "-"}:${action.page}`;
    case "search":
      return fitBytes(`s:${action.page}:`, action.query);
    case "digest":
      return `d:${action.page}`;
    case "stop":
      return `x:${action.confirm ? 1 : 0}`;
    case "erase":
      return `e:${action.confirm ? 1 : 0}`;
    case "lang":
      return `g:${action.locale}`;
    case "broadcast":
      return `b:${action.id}:${action.confirm ? 1 : 0}`;
    case "broadcastTest":
      return `bt:${action.id}`;
    case "noop":
      return "n";
  }
}

function id(text: string | undefined): number | null {
  if (!text || !/^\d{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n > 0 && n < MAX_ID ? n : null;
}

function page(text: string | undefined): number | null {
  if (!text || !/^\d{1,4}$/.test(text)) return null;
  return Number(text);
}

export function decodeAction(data: string): Action | null {
  if (typeof data !== "string" || data.length === 0 || byteLength(data) > MAX_ACTION_BYTES) {
    return null;
  }
  const [kind, a, ...rest] = data.split(":");
  switch (kind) {
    case "t": {
      const topicId = id(a);
      return topicId && rest.length === 0 ? { kind: "topic", topicId } : null;
    }
    case "td":
      return a === undefined ? { kind: "topicsDone" } : null;
    case "tms":
      return a === undefined ? { kind: "topicModes" } : null;
    case "tm": {
      const topicId = id(a);
      if (!topicId || rest.length > 1) return null;
      if (rest.length === 0) return { kind: "topicMode", topicId };
      const flag = rest[0];
      const mode =
        flag === "d" ? "digest" : flag === "i" ? "instant" : flag === "b" ? "both" : null;
      return mode ? { kind: "topicMode", topicId, mode } : null;
    }
    case "r": {
      const articleId = id(a);
      if (!articleId || rest.length > 1) return null;
      if (rest.length === 0) return { kind: "read", articleId };
      const broadcastId = id(rest[0]);
      return broadcastId ? { kind: "read", articleId, broadcastId } : null;
    }
    case "l": {
      const topicId = a === "-" ? null : id(a);
      const p = page(rest[0]);
      if ((a !== "-" && topicId === null) || p === null || rest.length !== 1) return null;
      return { kind: "latest", topicId, page: p };
    }
    case "s": {
      const p = page(a);
      const query = rest.join(":");
      return p !== null && query ? { kind: "search", page: p, query } : null;
    }
    case "d": {
      const p = page(a);
      return p !== null && rest.length === 0 ? { kind: "digest", page: p } : null;
    }
    case "x":
      return a === "1" || a === "0" ? { kind: "stop", confirm: a === "1" } : null;
    case "e":
      return (a === "1" || a === "0") && rest.length === 0
        ? { kind: "erase", confirm: a === "1" }
        : null;
    case "g":
      return a === "vi" || a === "en" ? { kind: "lang", locale: a } : null;
    case "b": {
      const broadcastId = id(a);
      const flag = rest[0];
      if (!broadcastId || rest.length !== 1 || (flag !== "1" && flag !== "0")) return null;
      return { kind: "broadcast", id: broadcastId, confirm: flag === "1" };
    }
    case "bt": {
      const broadcastId = id(a);
      return broadcastId && rest.length === 0 ? { kind: "broadcastTest", id: broadcastId } : null;
    }
    case "n":
      return a === undefined ? { kind: "noop" } : null;
    default:
      return null;
  }
}
