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
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['64:ff9b::', 96], // NAT64: reaches IPv4 space
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['2001:db8::', 32], // documentation
] as const) blocked.addSubnet(net, prefix, 'ipv6');

/** True when the address is loopback, private, link-local or otherwise not a public host. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  return blocked.check(address, 'ipv6');
}

export class UnsafeTargetError extends Error {}

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
