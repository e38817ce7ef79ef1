// SSRF guard for webhook URLs. Unless local integrations are allowed (BOB_ALLOW_PRIVATE_WEBHOOKS=1),
// Bob only talks to public addresses: checked when an endpoint is saved (a clear 400) and again on
// every connection through `guardedLookup`, so a name that later resolves to 10.0.0.1 (DNS
// rebinding) is refused too.
import dns from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this" network
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 96], // IPv4-compatible (deprecated), with unspecified and loopback
  ['::ffff:0:0:0', 96], // IPv4-translated
  ['64:ff9b:1::', 48], // NAT64 for local use
  ['fc00::', 7], // unique local
  ['fec0::', 10], // site-local (deprecated, still routed inside some networks)
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['2001:db8::', 32], // documentation
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/**
 * The eight 16-bit groups of an IPv6 address (`::` expanded, a trailing dotted quad as two groups,
 * a zone dropped), or null. Parsed here because the URL parser and resolvers write the same
 * address in different forms ([::127.0.0.1] becomes [::7f00:1]).
 */
export function ipv6Groups(address: string): number[] | null {
  let text = address.replace(/%.*$/, '').toLowerCase();
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const b = quad.slice(1).map(Number);
    if (b.some((x) => x > 255)) return null;
    text = text.slice(0, quad.index) + ((b[0]! << 8) | b[1]!).toString(16) + ':' + ((b[2]! << 8) | b[3]!).toString(16);
  }
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const part = (h: string) => (h ? h.split(':') : []);
  const head = part(halves[0]!);
  const tail = halves.length === 2 ? part(halves[1]!) : [];
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const groups = [...head, ...Array<string>(missing).fill('0'), ...tail];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return null;
  return groups.map((g) => parseInt(g, 16));
}

const ipv4Of = (hi: number, lo: number) => [hi >> 8, hi & 0xff, lo >> 8, lo & 0xff].join('.');

/**
 * The IPv4 address an IPv6 address reaches, for the forms that tunnel or translate to IPv4:
 * IPv4-mapped (::ffff:0:0/96), 6to4 (2002::/16), Teredo (2001::/32, the client's address is the
 * last 32 bits inverted) and NAT64 (64:ff9b::/96).
 */
function embeddedIpv4(g: number[]): string | null {
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zeros(0, 5) && g[5] === 0xffff) return ipv4Of(g[6]!, g[7]!);
  if (g[0] === 0x2002) return ipv4Of(g[1]!, g[2]!);
  if (g[0] === 0x2001 && g[1] === 0) return ipv4Of(g[6]! ^ 0xffff, g[7]! ^ 0xffff);
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return ipv4Of(g[6]!, g[7]!);
  return null;
}

/**
 * True when the address is loopback, private, link-local or otherwise not a public host, also
 * when an IPv6 form carries such an IPv4 address. The one check for saving and for connecting.
 */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const groups = ipv6Groups(address);
  if (!groups) return true;
  const canonical = groups.map((x) => x.toString(16)).join(':');
  if (blocked.check(canonical, 'ipv6')) return true;
  const v4 = embeddedIpv4(groups);
  return v4 !== null && blocked.check(v4, 'ipv4');
}

export class UnsafeTargetError extends Error {}

/**
 * A webhook URL as records shown to people keep it (the audit log): scheme, host and path. The
 * query often carries the receiver's token, so it is shown only as `?…`; credentials never.
 */
export function redactedUrl(raw: string): string {
  const url = new URL(raw);
  return url.origin + url.pathname + (url.search ? '?…' : '');
}

/** The host of a URL as an address or name (IPv6 literals without their brackets). */
export const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** Refuses URLs Bob must not call; resolves names to check every address they point at. */
export async function assertPublicTarget(rawUrl: string, lookup = dns.promises.lookup): Promise<void> {
  const url = new URL(rawUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new UnsafeTargetError('only http:// and https:// URLs are allowed');
  const host = hostOf(url);
  if (isIP(host)) {
    if (isPrivateAddress(host)) throw new UnsafeTargetError(`${host} is a private, loopback or link-local address`);
    return;
  }
  let addresses: { address: string }[];
  try {
    addresses = await lookup(host, { all: true, verbatim: true });
  } catch {
    throw new UnsafeTargetError(`the host name ${host} does not resolve`);
  }
  const inside = addresses.find((a) => isPrivateAddress(a.address));
  if (inside) throw new UnsafeTargetError(`${host} resolves to ${inside.address}, a private, loopback or link-local address`);
}

/** A `lookup` for http.request that refuses private answers at connection time. */
export const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dns.lookup(hostname, { ...options, all: true, verbatim: true }, (err, addresses) => {
    if (err) return callback(err, '', 0);
    const list = addresses as dns.LookupAddress[];
    const inside = list.find((a) => isPrivateAddress(a.address));
    if (inside) return callback(new UnsafeTargetError(`${hostname} resolves to ${inside.address}, a private address`), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, list);
    callback(null, list[0]!.address, list[0]!.family);
  });
};
