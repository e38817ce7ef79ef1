import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Next } from 'koa';
import type { AppContext } from './context';
import { PAGE_CSP } from './middleware';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticOptions {
  /** URL prefix, e.g. "/app". */
  prefix: string;
  root: string;
  /** File served for paths that match no file (single-page app routing). */
  fallback?: string;
  /** Served when the root has not been built (e.g. Mission Control before `npm run build`). */
  missing?: string;
}

/** Serves files under `prefix` from `root`; never outside it. */
export function serveStatic(opts: StaticOptions) {
  const root = path.resolve(opts.root);
  return async function staticFiles(ctx: AppContext, next: Next) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    if (ctx.path !== opts.prefix && !ctx.path.startsWith(opts.prefix + '/')) return next();
    if (ctx.path === opts.prefix) return ctx.redirect(opts.prefix + '/');

    let rel: string;
    try {
      rel = decodeURIComponent(ctx.path.slice(opts.prefix.length + 1)) || 'index.html';
    } catch {
      return next();
    }
    const file = path.resolve(root, rel);
    if (file !== root && !file.startsWith(root + path.sep)) return next();

    const target = (await isFile(file)) ? file : opts.fallback && !path.extname(rel) ? path.join(root, opts.fallback) : null;
    const stat = target ? await fileStat(target) : null;
    if (!target || !stat) {
      if (opts.missing && !(await isFile(path.join(root, 'index.html')))) {
        ctx.status = 503;
        ctx.type = 'text/plain';
        ctx.body = opts.missing;
        return;
      }
      return next();
    }
    const ext = path.extname(target);
    ctx.type = TYPES[ext] ?? 'application/octet-stream';
    // Hashed build assets are immutable; HTML must be revalidated so new builds show up.
    ctx.set('Cache-Control', ext === '.html' ? 'no-cache' : rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
    if (ext === '.html') ctx.set('Content-Security-Policy', PAGE_CSP);
    // Weak: the compression middleware may send the same file gzip- or brotli-encoded.
    ctx.set('ETag', `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`);
    ctx.status = 200;
    if (ctx.fresh) {
      ctx.status = 304;
      return;
    }
    ctx.body = createReadStream(target);
    // Known length: small files stay uncompressed (under the threshold) and identity responses
    // carry Content-Length. Set after the body, which would otherwise clear it.
    ctx.length = stat.size;
  };
}

async function fileStat(p: string) {
  try {
    const stat = await fs.stat(p);
    return stat.isFile() ? stat : null;
  } catch {
    return null;
  }
}

async function isFile(p: string) {
  return (await fileStat(p)) !== null;
}
