import { constants } from 'node:zlib';
import compress from 'koa-compress';
import type { Middleware } from 'koa';
import type { AppState } from './context';

/**
 * Text worth compressing: HTML, CSS, JavaScript, JSON, SVG, CSV, plain text, XML. Never
 * `text/event-stream` (a compressor holds events back until its buffer fills, and SSE must
 * flush each one at once) and never formats that are compressed already (PNG, WOFF2, PDF).
 */
const COMPRESSIBLE = /^(?:text\/(?!event-stream\b)[\w.+-]+|application\/(?:javascript|ecmascript|json|[\w.-]+\+json|xml|[\w.-]+\+xml)|image\/svg\+xml)\s*(?:;|$)/i;

export const isCompressible = (type: string | undefined): boolean => !!type && COMPRESSIBLE.test(type);

/** Responses smaller than this go out as they are: the encoding would save less than it costs. */
export const COMPRESSION_THRESHOLD = 1024;

/**
 * gzip and brotli (koa-compress) for text responses of 1 KB or more: brotli when the client takes
 * it, gzip otherwise, identity when it asks for neither (or sends no Accept-Encoding). Every
 * response gets `Vary: Accept-Encoding`, added to whatever else varies it (CORS's `Origin`), so a
 * cache never hands a compressed copy to a client that did not ask for one. Brotli at quality 5:
 * most of quality 11's saving on JSON and scripts for a fraction of its CPU (the widget: ~1 ms).
 * `Cache-Control: no-transform` (the SSE streams) and HEAD requests are left alone by koa-compress.
 */
export function compression(): Middleware<AppState> {
  return compress({
    filter: isCompressible,
    threshold: COMPRESSION_THRESHOLD,
    encodingPreference: ['br', 'gzip', 'identity'],
    br: { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } },
    gzip: { level: 6 },
    // Only brotli and gzip: the same two encodings on every Node version Bob runs on (zstd exists on
    // newer ones only), and no raw deflate (clients disagree about what it means).
    deflate: false,
    zstd: false,
  }) as Middleware<AppState>;
}
