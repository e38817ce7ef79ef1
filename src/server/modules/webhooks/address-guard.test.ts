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
});
