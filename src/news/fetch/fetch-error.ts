/** How a fetch fails: a kind the caller can act on and a message an operator can read. */

export type FetchErrorKind =
  | "timeout"
  | "too-large"
  | "redirect-loop"
  | "too-many-redirects"
  | "http"
  | "network"
  | "bad-url"
  /** The fetch guard refused the address (a private one, and not allowed). */
  | "refused"
  /** Stopped from outside: the feed check's deadline, or shutdown. */
  | "aborted";

/** A fetch that failed, with a message an operator can read in `source list`. */
export class FetchError extends Error {
  readonly kind: FetchErrorKind;
  readonly status?: number;

  constructor(
    kind: FetchErrorKind,
    message: string,
    options?: { status?: number; cause?: unknown },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = "FetchError";
    this.kind = kind;
    if (options?.status !== undefined) this.status = options.status;
  }
}

/** "5 MiB", "512 KiB", "100 bytes". */
export function formatBytes(bytes: number): string {
  const mib = 1024 * 1024;
  if (bytes >= mib) return `${Number((bytes / mib).toFixed(1))} MiB`;
  if (bytes >= 1024) return `${Number((bytes / 1024).toFixed(1))} KiB`;
  return `${bytes} bytes`;
}

/** What the network error codes mean, in words. */
const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: "connection refused",
  ECONNRESET: "connection reset",
  ENOTFOUND: "host not found",
  EAI_AGAIN: "host name lookup failed",
  EHOSTUNREACH: "host unreachable",
  ENETUNREACH: "network unreachable",
  ETIMEDOUT: "connection timed out",
  UND_ERR_CONNECT_TIMEOUT: "connection timed out",
  UND_ERR_SOCKET: "connection closed by the server",
  UND_ERR_CLOSED: "connection closed",
  EPROTO: "TLS handshake failed",
  CERT_HAS_EXPIRED: "the site's TLS certificate has expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the site's TLS certificate is self-signed",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the site's TLS certificate cannot be verified",
  ERR_TLS_CERT_ALTNAME_INVALID: "the site's TLS certificate is for another name",
};

/** A failed request as a FetchError naming the host and what went wrong. */
export function networkError(url: URL, err: unknown): FetchError {
  if (err instanceof FetchError) return err;
  const code = (err as { code?: string } | null)?.code;
  const what = (code && NETWORK_CODES[code]) ?? (err instanceof Error ? err.message : String(err));
  return new FetchError("network", `could not fetch from ${url.host}: ${what}`, { cause: err });
}
