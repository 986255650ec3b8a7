/**
 * Which IP addresses bantin may fetch from: only public unicast ones. Loopback, private
 * (RFC 1918), CGNAT, link-local, unique-local, multicast, unspecified and the other
 * special-purpose ranges are not the open web; an IPv6 address that carries an IPv4 address
 * (mapped, compatible, NAT64, 6to4) is judged by the IPv4 address it carries.
 */
import { BlockList, isIP } from "node:net";

/** Why an address is not public, in words for an operator. */
export type AddressKind =
  | "public"
  | "unspecified"
  | "loopback"
  | "private"
  | "cgnat"
  | "link-local"
  | "unique-local"
  | "site-local"
  | "multicast"
  | "reserved";

export const ADDRESS_KIND_WORDS: Record<Exclude<AddressKind, "public">, string> = {
  unspecified: "unspecified",
  loopback: "loopback",
  private: "RFC 1918 private network",
  cgnat: "carrier-grade NAT",
  "link-local": "link-local",
  "unique-local": "unique-local",
  "site-local": "site-local",
  multicast: "multicast",
  reserved: "reserved for special use",
};

type Range = [network: string, prefix: number, kind: AddressKind];

/** IANA IPv4 special-purpose ranges (RFC 6890 and successors) that are not the open web. */
const IPV4_RANGES: Range[] = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "cgnat"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"], // IETF protocol assignments
  ["192.0.2.0", 24, "reserved"], // documentation
  ["192.88.99.0", 24, "reserved"], // 6to4 relay anycast (deprecated)
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "reserved"], // benchmarking
  ["198.51.100.0", 24, "reserved"], // documentation
  ["203.0.113.0", 24, "reserved"], // documentation
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"], // future use, and 255.255.255.255 broadcast
];

/** IPv6 ranges judged on their own (the ones carrying IPv4 are unwrapped first). */
const IPV6_RANGES: Range[] = [
  ["::", 128, "unspecified"],
  ["::1", 128, "loopback"],
  ["64:ff9b:1::", 48, "reserved"], // local-use NAT64
  ["100::", 64, "reserved"], // discard-only
  ["2001:db8::", 32, "reserved"], // documentation
  ["3fff::", 20, "reserved"], // documentation
  ["5f00::", 16, "reserved"], // segment routing SIDs
  ["fc00::", 7, "unique-local"],
  ["fe80::", 10, "link-local"],
  ["fec0::", 10, "site-local"],
  ["ff00::", 8, "multicast"],
];

function blockLists(ranges: Range[], type: "ipv4" | "ipv6"): [BlockList, AddressKind][] {
  const byKind = new Map<AddressKind, BlockList>();
  for (const [network, prefix, kind] of ranges) {
    let list = byKind.get(kind);
    if (!list) {
      list = new BlockList();
      byKind.set(kind, list);
    }
    list.addSubnet(network, prefix, type);
  }
  return [...byKind].map(([kind, list]) => [list, kind]);
}

const V4_LISTS = blockLists(IPV4_RANGES, "ipv4");
const V6_LISTS = blockLists(IPV6_RANGES, "ipv6");

/** The 16 bytes of a valid IPv6 address (zone id dropped). */
export function ipv6Bytes(address: string): Uint8Array {
  const text = address.replace(/%.*$/, "");
  const bytes = new Uint8Array(16);
  let head = text;
  let tail = "";
  const gap = text.indexOf("::");
  if (gap >= 0) {
    head = text.slice(0, gap);
    tail = text.slice(gap + 2);
  }
  const words = (part: string): number[] => {
    if (part === "") return [];
    const out: number[] = [];
    for (const piece of part.split(":")) {
      if (piece.includes(".")) {
        const [a = 0, b = 0, c = 0, d = 0] = piece.split(".").map(Number);
        out.push((a << 8) | b, (c << 8) | d);
      } else {
        out.push(Number.parseInt(piece, 16));
      }
    }
    return out;
  };
  const first = words(head);
  const last = words(tail);
  const all = [...first, ...new Array(8 - first.length - last.length).fill(0), ...last];
  all.forEach((word, i) => {
    bytes[i * 2] = (word >> 8) & 0xff;
    bytes[i * 2 + 1] = word & 0xff;
  });
  return bytes;
}

function v4At(bytes: Uint8Array, offset: number): string {
  return Array.from(bytes.subarray(offset, offset + 4)).join(".");
}

function zeros(bytes: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (bytes[i] !== 0) return false;
  return true;
}

/**
 * The IPv4 address an IPv6 address stands for, if it carries one that a network would route to:
 * IPv4-mapped (::ffff:a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d), IPv4-compatible
 * (::a.b.c.d, deprecated), NAT64 (64:ff9b::a.b.c.d) and 6to4 (2002:aabb:ccdd::).
 */
export function embeddedIpv4(address: string): string | null {
  const b = ipv6Bytes(address);
  if (zeros(b, 0, 10) && b[10] === 0xff && b[11] === 0xff) return v4At(b, 12);
  if (zeros(b, 0, 8) && b[8] === 0xff && b[9] === 0xff && zeros(b, 10, 12)) return v4At(b, 12);
  // ::a.b.c.d, except :: and ::1 (judged as IPv6).
  if (zeros(b, 0, 12) && !(zeros(b, 12, 15) && (b[15] ?? 0) <= 1)) return v4At(b, 12);
  if (b[0] === 0x00 && b[1] === 0x64 && b[2] === 0xff && b[3] === 0x9b && zeros(b, 4, 12)) {
    return v4At(b, 12);
  }
  if (b[0] === 0x20 && b[1] === 0x02) return v4At(b, 2);
  return null;
}

/** What kind of address `address` is; null when it is not an IP address at all. */
export function classifyAddress(address: string): AddressKind | null {
  const version = isIP(address);
  if (version === 4) {
    for (const [list, kind] of V4_LISTS) if (list.check(address, "ipv4")) return kind;
    return "public";
  }
  if (version === 6) {
    const v4 = embeddedIpv4(address);
    if (v4 !== null) return classifyAddress(v4);
    const plain = address.replace(/%.*$/, "");
    for (const [list, kind] of V6_LISTS) if (list.check(plain, "ipv6")) return kind;
    return "public";
  }
  return null;
}

/** True only for an IP address on the open internet. */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === "public";
}
