import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  classifyAddress,
  embeddedIpv4,
  ipv6Bytes,
  isPublicAddress,
} from "../../src/news/fetch/address";
import { allowsPrivate, parseAllowList } from "../../src/news/fetch/guard";
import hostile from "../fixtures/hostile/addresses.json" with { type: "json" };

/**
 * The reference: the special-purpose ranges written out again as numbers, and IPv6 judged from
 * its bytes by plain arithmetic, independently of the classifier's net.BlockList tables.
 */
const V4_SPECIAL: [string, number][] = [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.88.99.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
];

const v4Number = (ip: string) => ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);

function referenceV4Public(ip: string): boolean {
  const n = v4Number(ip);
  return !V4_SPECIAL.some(([net, bits]) => {
    const size = 2 ** (32 - bits);
    return Math.floor(n / size) === Math.floor(v4Number(net) / size);
  });
}

function referenceV6Public(bytes: number[]): boolean {
  const word = (i: number) => (bytes[i * 2] ?? 0) * 256 + (bytes[i * 2 + 1] ?? 0);
  const words = Array.from({ length: 8 }, (_, i) => word(i));
  const v4 = (from: number) => bytes.slice(from, from + 4).join(".");
  const zeroWords = (n: number) => words.slice(0, n).every((w) => w === 0);
  if (zeroWords(8)) return false; // ::
  if (zeroWords(7) && words[7] === 1) return false; // ::1
  if (zeroWords(5) && words[5] === 0xffff) return referenceV4Public(v4(12)); // mapped
  if (zeroWords(4) && words[4] === 0xffff && words[5] === 0) return referenceV4Public(v4(12));
  if (zeroWords(6)) return referenceV4Public(v4(12)); // compatible
  if (words[0] === 0x64 && words[1] === 0xff9b && words.slice(2, 6).every((w) => w === 0)) {
    return referenceV4Public(v4(12)); // NAT64
  }
  if (words[0] === 0x2002) return referenceV4Public(v4(2)); // 6to4
  const w0 = words[0] ?? 0;
  if (w0 === 0x64 && words[1] === 0xff9b && words[2] === 1) return false;
  if (w0 === 0x100 && words.slice(1, 4).every((w) => w === 0)) return false;
  if (w0 === 0x2001 && words[1] === 0xdb8) return false;
  if (w0 === 0x3fff && (words[1] ?? 0) < 0x1000) return false;
  if (w0 === 0x5f00) return false;
  if ((w0 & 0xfe00) === 0xfc00) return false; // unique-local
  if ((w0 & 0xffc0) === 0xfe80 || (w0 & 0xffc0) === 0xfec0) return false; // link/site-local
  if ((w0 & 0xff00) === 0xff00) return false; // multicast
  return true;
}

const hex = (bytes: number[]) =>
  Array.from({ length: 8 }, (_, i) =>
    (((bytes[i * 2] ?? 0) << 8) | (bytes[i * 2 + 1] ?? 0)).toString(16),
  ).join(":");

/** Addresses near the special ranges, where mistakes would be. */
const nearSpecialV4 = fc
  .tuple(fc.constantFrom(...V4_SPECIAL), fc.integer({ min: -2, max: 2 ** 24 }))
  .map(([[net], offset]) => {
    const n = Math.min(2 ** 32 - 1, Math.max(0, v4Number(net) + offset));
    return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
  });
const anyV4 = fc.oneof(fc.ipV4(), nearSpecialV4);

const v6Bytes = fc.oneof(
  fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 }),
  // IPv6 forms that carry IPv4, and the special prefixes, with random rest.
  fc
    .tuple(
      fc.constantFrom(
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff],
        [0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0],
        [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0],
        [0x20, 0x02],
        [0xfe, 0x80],
        [0xfd],
        [0xff],
        [0x20, 0x01, 0x0d, 0xb8],
      ),
      fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 16, maxLength: 16 }),
      anyV4,
    )
    .map(([prefix, rest, v4]) => {
      const bytes = [...prefix, ...rest].slice(0, 16);
      if (prefix.length === 12) bytes.splice(12, 4, ...v4.split(".").map(Number));
      if (prefix.length === 2 && prefix[0] === 0x20)
        bytes.splice(2, 4, ...v4.split(".").map(Number));
      return bytes;
    }),
);

describe("the address classifier", () => {
  it("agrees with the reference on random and near-boundary IPv4 addresses", () => {
    fc.assert(
      fc.property(anyV4, (ip) => {
        expect(isPublicAddress(ip)).toBe(referenceV4Public(ip));
      }),
      { numRuns: 5000 },
    );
  });

  it("agrees with the reference on random IPv6 addresses, in every spelling", () => {
    fc.assert(
      fc.property(v6Bytes, (bytes) => {
        const long = hex(bytes);
        const short = new URL(`http://[${long}]/`).hostname.slice(1, -1);
        const expected = referenceV6Public(bytes);
        expect(isPublicAddress(long)).toBe(expected);
        expect(isPublicAddress(short)).toBe(expected);
        expect(Array.from(ipv6Bytes(short))).toEqual(bytes);
      }),
      { numRuns: 5000 },
    );
  });

  it("judges an IPv4-mapped or compatible IPv6 address by its IPv4 address", () => {
    fc.assert(
      fc.property(anyV4, (ip) => {
        for (const form of [`::ffff:${ip}`, `::ffff:0:${ip}`, `64:ff9b::${ip}`]) {
          expect(embeddedIpv4(form)).toBe(ip);
          expect(classifyAddress(form)).toBe(classifyAddress(ip));
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("names the kind of each special address", () => {
    expect(classifyAddress("127.0.0.1")).toBe("loopback");
    expect(classifyAddress("10.1.2.3")).toBe("private");
    expect(classifyAddress("172.20.0.1")).toBe("private");
    expect(classifyAddress("172.32.0.1")).toBe("public");
    expect(classifyAddress("192.168.0.1")).toBe("private");
    expect(classifyAddress("100.64.0.1")).toBe("cgnat");
    expect(classifyAddress("100.128.0.1")).toBe("public");
    expect(classifyAddress("169.254.169.254")).toBe("link-local");
    expect(classifyAddress("0.0.0.0")).toBe("unspecified");
    expect(classifyAddress("224.0.0.251")).toBe("multicast");
    expect(classifyAddress("255.255.255.255")).toBe("reserved");
    expect(classifyAddress("::")).toBe("unspecified");
    expect(classifyAddress("::1")).toBe("loopback");
    expect(classifyAddress("::ffff:7f00:1")).toBe("loopback");
    expect(classifyAddress("::ffff:a9fe:a9fe")).toBe("link-local");
    expect(classifyAddress("fe80::1%eth0")).toBe("link-local");
    expect(classifyAddress("fd00::1")).toBe("unique-local");
    expect(classifyAddress("ff02::1")).toBe("multicast");
    expect(classifyAddress("2002:7f00:1::")).toBe("loopback");
    expect(classifyAddress("8.8.8.8")).toBe("public");
    expect(classifyAddress("2606:4700:4700::1111")).toBe("public");
    expect(classifyAddress("2002:808:808::1")).toBe("public");
    expect(classifyAddress("example.com")).toBeNull();
    expect(classifyAddress("2130706433")).toBeNull();
  });

  it("refuses every address of the hostile corpus, as the URL parser reads it", () => {
    for (const entry of hostile.refused) {
      if ("host" in entry) continue; // a name: judged on what it resolves to
      const url = new URL(entry.url.replace("{port}", "8080"));
      const host = url.hostname.replace(/^\[|\]$/g, "");
      expect(host, entry.why).toBe(entry.address);
      expect(isPublicAddress(host), entry.why).toBe(false);
    }
    for (const entry of hostile.dns) {
      for (const answer of entry.answers) expect(isPublicAddress(answer), entry.why).toBe(false);
    }
  });
});

describe("FETCH_ALLOW_PRIVATE entries", () => {
  it("allow a host on any port, a host on one port, or everything", () => {
    const list = parseAllowList(["intranet.example", "127.0.0.1:8080", "[::1]:9000"]);
    expect(allowsPrivate(list, "intranet.example", 80)).toBe(true);
    expect(allowsPrivate(list, "INTRANET.example", 8443)).toBe(true);
    expect(allowsPrivate(list, "127.0.0.1", 8080)).toBe(true);
    expect(allowsPrivate(list, "127.0.0.1", 8081)).toBe(false);
    expect(allowsPrivate(list, "[::1]", 9000)).toBe(true);
    expect(allowsPrivate(list, "::1", 9000)).toBe(true);
    expect(allowsPrivate(list, "::1", 80)).toBe(false);
    expect(allowsPrivate(list, "other.example", 80)).toBe(false);
    expect(allowsPrivate(parseAllowList(["*"]), "10.0.0.1", 80)).toBe(true);
    expect(allowsPrivate(parseAllowList([]), "127.0.0.1", 80)).toBe(false);
  });
});
