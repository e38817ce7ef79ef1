import { describe, expect, it } from 'vitest';
import { isLoopbackOrigin, normalizeOriginPattern, originMatches, parseOriginPattern } from './origins';

describe('origin allowlists', () => {
  it('matches a wildcard subdomain but not the apex or a look-alike', () => {
    const list = ['https://*.example.com'];
    expect(originMatches('https://a.example.com', list)).toBe(true);
    expect(originMatches('https://a.b.example.com', list)).toBe(true);
    expect(originMatches('https://example.com', list)).toBe(false);
    expect(originMatches('https://evil-example.com', list)).toBe(false);
    expect(originMatches('https://example.com.evil.io', list)).toBe(false);
    expect(originMatches('http://a.example.com', list)).toBe(false);
  });

  it('matches exact origins normalised and any-port entries', () => {
    expect(originMatches('https://shop.example.com', ['HTTPS://Shop.Example.com:443'])).toBe(true);
    expect(originMatches('https://shop.example.com:8443', ['https://shop.example.com'])).toBe(false);
    expect(originMatches('http://localhost:5173', ['http://localhost:*'])).toBe(true);
    expect(originMatches('http://localhost', ['http://localhost:*'])).toBe(true);
    expect(originMatches('http://localhost.evil.com:80', ['http://localhost:*'])).toBe(false);
  });

  it('refuses absent, null and malformed origins, and closes an empty list', () => {
    for (const o of [undefined, '', 'null', 'file://', 'https://a.com/path', 'javascript:alert(1)']) {
      expect(originMatches(o, ['https://a.com', 'http://localhost:*'])).toBe(false);
    }
    expect(originMatches('https://a.com', [])).toBe(false);
  });

  it('rejects malformed entries with a message naming them', () => {
    expect(parseOriginPattern('example.com')).toMatch(/"example.com" is not an origin/);
    expect(parseOriginPattern('https://*.com')).toMatch(/wildcard/);
    expect(parseOriginPattern('https://a.com/path')).toMatch(/not an origin/);
    expect(normalizeOriginPattern('HTTPS://A.COM:443/')).toBe('https://a.com');
  });

  it('knows loopback origins', () => {
    expect(isLoopbackOrigin('http://127.0.0.1:3000')).toBe(true);
    expect(isLoopbackOrigin('http://localhost:3000')).toBe(true);
    expect(isLoopbackOrigin('https://example.com')).toBe(false);
  });
});
