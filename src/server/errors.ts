import type { Context, Next } from 'koa';
import { z } from 'zod';
import type { Logger } from './logger';

/** The one error type of the API: rendered as {"error": {code, message, details}}. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const notFound = (what = 'Resource') => new HttpError(404, 'not_found', `${what} not found`);
export const forbidden = (message = 'You do not have permission to do this') =>
  new HttpError(403, 'forbidden', message);
export const conflict = (code: string, message: string, details?: unknown) =>
  new HttpError(409, code, message, details);
export const rateLimited = (retryAfterSeconds: number, message = 'Too many requests, slow down') =>
  new HttpError(429, 'rate_limited', message, { retry_after: retryAfterSeconds }, {
    'Retry-After': String(retryAfterSeconds),
  });

export function invalidRequest(error: z.ZodError, where: 'body' | 'query' | 'params'): HttpError {
  return new HttpError(
    400,
    'invalid_request',
    `Invalid ${where}: ` +
      error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '),
    error.issues.map((i) => ({ path: [where, ...i.path.map(String)], code: i.code, message: i.message })),
  );
}

export function errorMiddleware(logger: Logger) {
  return async function handleErrors(ctx: Context, next: Next) {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new HttpError(404, 'not_found', `No route for ${ctx.method} ${ctx.path}`);
      }
    } catch (err) {
      const e = toHttpError(err);
      if (e.status >= 500) {
        logger.error('request failed', {
          request_id: ctx.state.requestId,
          method: ctx.method,
          path: ctx.path,
          err: err instanceof Error ? { name: err.name, message: err.message, stack: err.stack } : String(err),
        });
      }
      ctx.status = e.status;
      for (const [k, v] of Object.entries(e.headers ?? {})) ctx.set(k, v);
      ctx.type = 'application/json';
      ctx.body = {
        error: { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }) },
      };
    }
  };
}

export function toHttpError(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  // Errors raised by Koa itself (e.g. ctx.throw, body too large) carry an expose-able status.
  const status = (err as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const codes: Record<number, string> = { 400: 'invalid_request', 413: 'payload_too_large', 415: 'unsupported_media_type' };
    return new HttpError(status, codes[status] ?? 'invalid_request', (err as Error).message);
  }
  return new HttpError(500, 'internal', 'Something went wrong on our side. The error was logged.');
}
