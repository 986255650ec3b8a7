/**
 * The fetch guard: bantin fetches what feeds point at, so a hostile feed must not make it fetch
 * from the machine itself or the network it sits in. Every connection is checked on the address
 * actually connected to: a host name is resolved, private answers are dropped and the socket
 * connects to a public address the guard chose (undici's `connect` with its own `lookup`); an
 * IP literal in the URL is judged before connecting; the connected socket's address is checked
 * once more. Redirects are new requests, so every hop is checked. FETCH_ALLOW_PRIVATE names the
 * hosts (or host:port) that may be private: an intranet feed, the tests' fakes on 127.0.0.1.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { Agent, buildConnector } from "undici";
import { ADDRESS_KIND_WORDS, classifyAddress, embeddedIpv4 } from "./address";
import { FetchError } from "./fetch-error";

/** Hosts that may be private: "*" for all, "host" for any port, "host:port" for one. */
export interface AllowList {
  all: boolean;
  rules: { host: string; port: number | null }[];
}

/** A bare host: lower case, IPv6 without brackets. */
export function bareHost(host: string): string {
  const lower = host.toLowerCase();
  return lower.startsWith("[") && lower.endsWith("]") ? lower.slice(1, -1) : lower;
}

/** Entries as config.ts checks them: "*", "name", "name:port", "1.2.3.4:port", "[v6]:port". */
export function parseAllowList(entries: readonly string[]): AllowList {
  const list: AllowList = { all: false, rules: [] };
  for (const raw of entries) {
    const entry = raw.trim().toLowerCase();
    if (entry === "") continue;
    if (entry === "*") {
      list.all = true;
      continue;
    }
    const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(entry);
    const plain = /^([^:]+)(?::(\d+))?$/.exec(entry);
    const [host, port] = bracketed
      ? [bracketed[1] ?? "", bracketed[2]]
      : plain
        ? [plain[1] ?? "", plain[2]]
        : [entry, undefined]; // a bare IPv6 address
    list.rules.push({ host: bareHost(host), port: port === undefined ? null : Number(port) });
  }
  return list;
}

export function defaultPort(protocol: string): number {
  return protocol === "https:" ? 443 : 80;
}

/** Whether FETCH_ALLOW_PRIVATE lets this host (and port) be private. */
export function allowsPrivate(list: AllowList, host: string, port: number): boolean {
  if (list.all) return true;
  const name = bareHost(host);
  return list.rules.some((r) => r.host === name && (r.port === null || r.port === port));
}

/** The plain-words refusal, e.g. "refused: 127.0.0.1 is a private address (loopback)". */
export function refusal(host: string, address: string): FetchError {
  const kind = classifyAddress(address);
  const words = kind && kind !== "public" ? ` (${ADDRESS_KIND_WORDS[kind]})` : "";
  const v4 = isIP(address) === 6 ? embeddedIpv4(address) : null;
  const shown = v4 ? `${address} (IPv4 ${v4})` : address;
  const name = bareHost(host);
  const message =
    name === bareHost(address)
      ? `refused: ${shown} is a private address${words}`
      : `refused: ${name} resolves to ${shown}, a private address${words}`;
  return new FetchError("refused", message);
}

/** The refusal for a URL whose host is a private IP literal (not allowed); null otherwise. */
export function refuseLiteral(url: URL, list: AllowList): FetchError | null {
  const host = bareHost(url.hostname);
  if (isIP(host) === 0) return null;
  const port = url.port === "" ? defaultPort(url.protocol) : Number(url.port);
  if (allowsPrivate(list, host, port)) return null;
  return classifyAddress(host) === "public" ? null : refusal(host, host);
}

type LookupCallback = (
  err: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** A `lookup` for net.connect that answers only public addresses (or refuses the host). */
export function publicOnlyLookup(base: LookupFunction): LookupFunction {
  const guarded = (hostname: string, options: LookupOptions, callback: LookupCallback) => {
    base(hostname, { ...options, all: true }, ((
      err: NodeJS.ErrnoException | null,
      found: string | LookupAddress[],
      family?: number,
    ) => {
      if (err) return callback(err, []);
      const all: LookupAddress[] = Array.isArray(found)
        ? found
        : [{ address: found, family: family ?? isIP(found) }];
      const usable = all.filter((a) => classifyAddress(a.address) === "public");
      const first = usable[0];
      if (!first) {
        const address = all[0]?.address;
        const error = address
          ? refusal(hostname, address)
          : new FetchError("network", `could not fetch from ${hostname}: host not found`);
        return callback(error as unknown as NodeJS.ErrnoException, []);
      }
      if (options.all) return callback(null, usable);
      callback(null, first.address, first.family);
    }) as never);
  };
  return guarded as unknown as LookupFunction;
}

export interface GuardOptions {
  /** FETCH_ALLOW_PRIVATE entries; empty refuses every private address. */
  allowPrivate?: readonly string[];
  /** Name resolution (dns.lookup by default); tests pass their own. */
  lookup?: LookupFunction;
}

/**
 * An undici Agent whose every new connection goes through the guard. Connections are kept alive
 * per origin, and an origin's connections were all checked when they were made.
 */
export function createGuardedAgent(options: GuardOptions = {}): Agent {
  const list = parseAllowList(options.allowPrivate ?? []);
  const lookup = options.lookup ?? (dnsLookup as unknown as LookupFunction);
  const open = buildConnector({ lookup } as buildConnector.BuildOptions);
  const guarded = buildConnector({
    lookup: publicOnlyLookup(lookup),
  } as buildConnector.BuildOptions);
  const connect: buildConnector.connector = (opts, callback) => {
    const host = bareHost(opts.hostname);
    const port = opts.port ? Number(opts.port) : defaultPort(opts.protocol);
    if (allowsPrivate(list, host, port)) return open(opts, callback);
    if (isIP(host) !== 0 && classifyAddress(host) !== "public") {
      return callback(refusal(host, host), null);
    }
    guarded(opts, (...args) => {
      const [err, socket] = args;
      if (err || !socket) return callback(...args);
      const remote = socket.remoteAddress;
      if (remote && classifyAddress(remote) !== "public") {
        socket.destroy();
        return callback(refusal(host, remote), null);
      }
      callback(null, socket);
    });
  };
  return new Agent({ connect });
}
