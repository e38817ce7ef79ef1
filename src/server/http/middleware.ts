import { randomUUID } from 'node:crypto';
import type { Next } from 'koa';
import type { Logger } from '../logger';
import type { AppContext } from './context';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Every response carries X-Request-Id (the caller's, if well-formed) and is logged once. */
export function requestContext(logger: Logger) {
  return async function requestId(ctx: AppContext, next: Next) {
    const incoming = ctx.get('X-Request-Id');
    ctx.state.requestId = SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    const started = performance.now();
    try {
      await next();
    } finally {
      // Path only: query strings may carry keys or session ids.
      logger.info('request', {
        request_id: ctx.state.requestId,
        method: ctx.method,
        path: ctx.path,
        status: ctx.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
        ip: ctx.ip,
      });
    }
  };
}

export const API_CSP = "default-src 'none'; frame-ancestors 'none'";
export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Conservative defaults; pages that render HTML replace the CSP with PAGE_CSP. */
export async function securityHeaders(ctx: AppContext, next: Next) {
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Referrer-Policy', 'no-referrer');
  ctx.set('X-Frame-Options', 'DENY');
  ctx.set('Cross-Origin-Opener-Policy', 'same-origin');
  ctx.set('Content-Security-Policy', API_CSP);
  ctx.set('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
  if (ctx.secure) ctx.set('Strict-Transport-Security', 'max-age=31536000');
  await next();
  if (ctx.path.startsWith('/api/')) ctx.set('Cache-Control', ctx.response.get('Cache-Control') || 'no-store');
}
