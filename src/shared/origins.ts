// The one origin matcher. Allowlist entries (SPEC §6):
//   scheme://host[:port]    exact
//   scheme://*.domain       any subdomain of domain (not the apex, not "evil-domain")
//   scheme://host:*         any port
// Both sides are compared normalised: lowercase, default port dropped.

const DEFAULT_PORT: Record<string, string> = { 'http:': '80', 'https:': '443' };
const ENTRY = /^(https?):\/\/(\*\.)?([a-z0-9.-]+|\[[0-9a-f:.]+\])(?::(\d{1,5}|\*))?$/;

export interface OriginPattern {
  scheme: string;
  host: string;
  wildcardSubdomain: boolean;
  /** null = default port; '*' = any port. */
  port: string | null;
}

/** Parses an allowlist entry; returns an error message for a malformed one. */
export function parseOriginPattern(entry: string): OriginPattern | string {
  const m = ENTRY.exec(entry.trim().toLowerCase().replace(/\/$/, ''));
  if (!m) return `"${entry}" is not an origin: use scheme://host[:port], scheme://*.domain or scheme://host:*`;
  const [, scheme, star, host, port] = m;
  if (star && host!.split('.').length < 2) return `"${entry}": a wildcard needs a domain with a dot, like https://*.example.com`;
  if (port && port !== '*' && Number(port) > 65535) return `"${entry}": port out of range`;
  const normalizedPort = port && port !== '*' && port === DEFAULT_PORT[`${scheme}:`] ? null : (port ?? null);
  return { scheme: scheme!, host: host!, wildcardSubdomain: Boolean(star), port: normalizedPort };
}

/** Normalises an entry to its canonical string (e.g. "HTTPS://A.com:443" → "https://a.com"). */
export function normalizeOriginPattern(entry: string): string | null {
  const p = parseOriginPattern(entry);
  if (typeof p === 'string') return null;
  return `${p.scheme}://${p.wildcardSubdomain ? '*.' : ''}${p.host}${p.port ? `:${p.port}` : ''}`;
}

interface ParsedOrigin {
  scheme: string;
  host: string;
  port: string | null;
}

/** Parses a request's Origin header; null for absent, "null" or anything that is not http(s). */
export function parseRequestOrigin(origin: string | undefined): ParsedOrigin | null {
  if (!origin || origin === 'null') return null;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return null;
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.username || url.search) return null;
  if (origin.replace(/\/$/, '').toLowerCase() !== url.origin.toLowerCase()) return null;
  return { scheme: url.protocol.slice(0, -1), host: url.hostname.toLowerCase(), port: url.port || null };
}

export function originMatches(origin: string | undefined, allowlist: readonly string[]): boolean {
  const o = parseRequestOrigin(origin);
  if (!o) return false;
  return allowlist.some((entry) => {
    const p = parseOriginPattern(entry);
    if (typeof p === 'string' || p.scheme !== o.scheme) return false;
    if (p.port !== '*' && p.port !== o.port) return false;
    return p.wildcardSubdomain ? o.host.endsWith(`.${p.host}`) : o.host === p.host;
  });
}

export function isLoopbackOrigin(origin: string | undefined): boolean {
  const o = parseRequestOrigin(origin);
  return !!o && (o.host === 'localhost' || o.host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(o.host));
}
