import { describe, expect, it } from 'vitest';
import { assertPublicTarget, isPrivateAddress } from './address-guard';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1', '127.8.9.10', '10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.254', '192.168.0.10', '169.254.169.254',
    '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd12:3456::1', 'fc00::1', '::ffff:127.0.0.1',
    '::ffff:10.1.2.3', '64:ff9b::a00:1', 'ff02::1', 'not-an-ip',
  ])('%s is not public', (a) => expect(isPrivateAddress(a)).toBe(true));

  it.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '172.15.255.255', '100.128.0.1', '2606:4700:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (a) => expect(isPrivateAddress(a)).toBe(false),
  );

  // IPv6 forms that carry an IPv4 address or are private by definition (the URL parser shows them
  // as hex groups: [::127.0.0.1] becomes [::7f00:1]).
  it.each([
    ['::127.0.0.1', 'IPv4-compatible'],
    ['::7f00:1', 'IPv4-compatible, as the URL parser writes it'],
    ['::8.8.8.8', 'IPv4-compatible, even of a public address (deprecated, never routed)'],
    ['::ffff:0:127.0.0.1', 'IPv4-translated'],
    ['::ffff:0:7f00:1', 'IPv4-translated, hex'],
    ['::ffff:7f00:1', 'IPv4-mapped, hex'],
    ['2002:7f00:1::', '6to4 of 127.0.0.1'],
    ['2002:a00:1::1', '6to4 of 10.0.0.1'],
    ['2002:a9fe:a9fe::', '6to4 of 169.254.169.254'],
    ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'Teredo, client 127.0.0.1'],
    ['2001::f5ff:fffe', 'Teredo, client 10.0.0.1'],
    ['64:ff9b::7f00:1', 'NAT64 of 127.0.0.1'],
    ['64:ff9b::192.168.1.1', 'NAT64 of 192.168.1.1, dotted'],
    ['fec0::1', 'site-local'],
    ['feff::1', 'site-local, end of the range'],
    ['fe80::1%eth0', 'link-local with a zone'],
  ])('%s (%s) is not public', (a) => expect(isPrivateAddress(a)).toBe(true));

  it.each([
    ['2606:4700::1111', 'a public host'],
    ['2002:808:808::', '6to4 of 8.8.8.8'],
    ['2001:0:4136:e378:8000:63bf:f7f7:f7f7', 'Teredo, client 8.8.8.8'],
    ['64:ff9b::808:808', 'NAT64 of 8.8.8.8'],
    ['::ffff:808:808', 'IPv4-mapped 8.8.8.8, hex'],
  ])('%s (%s) is public', (a) => expect(isPrivateAddress(a)).toBe(false));
});

describe('assertPublicTarget', () => {
  const resolvesTo = (...addresses: string[]) => (async () => addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))) as never;

  it('checks every address a name resolves to', async () => {
    await expect(assertPublicTarget('https://hooks.example.com/x', resolvesTo('93.184.215.14'))).resolves.toBeUndefined();
    await expect(assertPublicTarget('https://hooks.example.com/x', resolvesTo('93.184.215.14', '10.0.0.5'))).rejects.toThrow(/resolves to 10\.0\.0\.5/);
    await expect(assertPublicTarget('https://rebind.example.com/x', resolvesTo('::1'))).rejects.toThrow(/private/);
  });

  it('refuses names that do not resolve and non-http schemes', async () => {
    const fails = (async () => {
      throw Object.assign(new Error('ENOTFOUND'), { code: 'ENOTFOUND' });
    }) as never;
    await expect(assertPublicTarget('https://nowhere.invalid/x', fails)).rejects.toThrow(/does not resolve/);
    await expect(assertPublicTarget('file:///etc/passwd')).rejects.toThrow(/only http/);
    await expect(assertPublicTarget('http://[::ffff:a9fe:a9fe]/')).rejects.toThrow(/private/);
  });

  it.each(['http://[::127.0.0.1]/', 'http://[::ffff:0:127.0.0.1]/', 'http://[2002:7f00:1::]/', 'http://[fec0::1]/'])('refuses %s', async (url) => {
    await expect(assertPublicTarget(url)).rejects.toThrow(/private/);
  });

  it('refuses a name that resolves to an IPv6 form carrying a private IPv4 address', async () => {
    await expect(assertPublicTarget('https://sixtofour.example.com/x', resolvesTo('2002:7f00:1::'))).rejects.toThrow(/resolves to 2002:7f00:1::/);
    await expect(assertPublicTarget('https://sixtofour.example.com/x', resolvesTo('2002:808:808::'))).resolves.toBeUndefined();
  });
});
