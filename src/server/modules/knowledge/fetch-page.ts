// Fetches one page of a business's own site for its knowledge: the webhooks' address guard (no
// private or loopback targets unless BOB_ALLOW_PRIVATE_WEBHOOKS=1, checked again when connecting,
// so DNS rebinding is refused too), redirects followed only within the page's origin, one time
// limit for the whole fetch and a cap on what is read.
import http from 'node:http';
import https from 'node:https';
import { HttpError } from '../../errors';
import { assertPublicTarget, guardedLookup, redactedUrl, UnsafeTargetError } from '../webhooks/address-guard';

export interface FetchPolicy {
  /** BOB_ALLOW_PRIVATE_WEBHOOKS: loopback and private targets allowed. */
  allowPrivate: boolean;
  /** The whole fetch, redirects and body included. */
  timeoutMs: number;
  /** Bytes read at most; a longer page is refused (page_too_large). */
  maxBytes: number;
  maxRedirects: number;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 5_000;
export const MAX_REDIRECTS = 3;
/** The content types Bob imports (anything else: unsupported_page_type). */
export const PAGE_TYPES = ['text/html', 'application/xhtml+xml', 'text/plain', 'text/markdown', 'text/x-markdown'];

export interface FetchedPage {
  /** Where the page was found, after redirects. */
  url: string;
  /** The media type (without parameters), e.g. text/html. */
  mediaType: string;
  charset: string | null;
  body: Buffer;
}

const failed = (url: URL, why: string) => new HttpError(400, 'fetch_failed', `Bob could not fetch ${redactedUrl(url.href)}: ${why}`);
const privateAddress = (why: string) =>
  new HttpError(400, 'private_address', `Bob does not fetch pages from private addresses: ${why}. Local sites need BOB_ALLOW_PRIVATE_WEBHOOKS=1 on the server.`);

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** One GET; resolves with the response once its headers arrive. */
function get(url: URL, policy: FetchPolicy, signal: AbortSignal): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'GET',
      headers: {
        'user-agent': 'Bob-Knowledge/1',
        accept: 'text/html, text/markdown;q=0.9, text/plain;q=0.8',
        'accept-encoding': 'identity',
      },
      agent: false,
      lookup: policy.allowPrivate ? undefined : guardedLookup,
      signal,
    });
    req.on('error', reject);
    req.on('response', resolve);
    req.end();
  });
}

function readCapped(res: http.IncomingMessage, url: URL, maxBytes: number): Promise<Buffer> {
  const tooLarge = () => new HttpError(400, 'page_too_large', `The page at ${redactedUrl(url.href)} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB; import a shorter page`);
  const declared = Number(res.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    res.destroy();
    return Promise.reject(tooLarge());
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        res.destroy();
        return reject(tooLarge());
      }
      chunks.push(chunk);
    });
    res.on('error', reject);
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('close', () => reject(new Error('the connection closed before the page ended')));
  });
}

/**
 * Fetches `rawUrl`: a private target (without the flag) → 400 private_address, a redirect to
 * another origin → 400 redirect_off_origin, a page over the cap → 400 page_too_large, a type
 * other than HTML, plain text or Markdown → 400 unsupported_page_type, anything else going wrong
 * (no answer in time, an error status, too many redirects) → 400 fetch_failed.
 */
export async function fetchPage(rawUrl: string, policy: FetchPolicy): Promise<FetchedPage> {
  const start = new URL(rawUrl);
  const signal = AbortSignal.timeout(policy.timeoutMs);
  let url = start;
  for (let redirects = 0; ; redirects++) {
    if (!policy.allowPrivate) {
      try {
        await assertPublicTarget(url.href);
      } catch (err) {
        if (err instanceof UnsafeTargetError) throw privateAddress(err.message);
        throw err;
      }
    }
    let res: http.IncomingMessage;
    try {
      res = await get(url, policy, signal);
    } catch (err) {
      if (err instanceof UnsafeTargetError) throw privateAddress(err.message);
      throw failed(url, signal.aborted ? `no answer within ${policy.timeoutMs / 1000} s` : (err as Error).message || String(err));
    }
    const status = res.statusCode ?? 0;
    if (REDIRECTS.has(status)) {
      res.resume();
      const location = res.headers.location;
      if (!location) throw failed(url, `it answered ${status} without saying where to`);
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw failed(url, `it redirects to an address that is not valid`);
      }
      if (next.origin !== start.origin) {
        throw new HttpError(400, 'redirect_off_origin', `${redactedUrl(url.href)} redirects to ${next.origin}, outside ${start.origin}; import the page from where it really is`);
      }
      if (redirects + 1 > policy.maxRedirects) throw failed(start, `more than ${policy.maxRedirects} redirects`);
      url = next;
      continue;
    }
    if (status < 200 || status >= 300) {
      res.resume();
      throw failed(url, `it answered HTTP ${status}`);
    }
    const contentType = String(res.headers['content-type'] ?? '');
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    if (mediaType && !PAGE_TYPES.includes(mediaType)) {
      res.destroy();
      throw new HttpError(400, 'unsupported_page_type', `The page at ${redactedUrl(url.href)} is ${mediaType}; Bob imports HTML, plain text or Markdown pages`);
    }
    const charset = /;\s*charset="?([^";]+)"?/i.exec(contentType)?.[1]?.trim().toLowerCase() ?? null;
    try {
      const body = await readCapped(res, url, policy.maxBytes);
      return { url: url.href, mediaType, charset, body };
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw failed(url, signal.aborted ? `no answer within ${policy.timeoutMs / 1000} s` : (err as Error).message);
    }
  }
}
