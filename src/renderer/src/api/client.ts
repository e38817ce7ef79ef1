import { readReply, type StreamFailure } from '../../../shared/chat-stream-reader';
import { scoped } from './scope';

/** The one way the renderer talks to the server: same origin, cookie session, CSRF on writes. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfter?: number,
    /** The server's error.details, e.g. the {line, column, message} of each bad CSV row. */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

let csrfToken: string | null = null;
export const setCsrfToken = (token: string | null) => {
  csrfToken = token;
};

/**
 * `text`: a body sent as is with its own type (a CSV upload) instead of JSON. `form`: multipart
 * form data (a file upload); the browser writes its Content-Type with the boundary.
 */
type Init = { method?: string; body?: unknown; text?: { type: string; data: string }; form?: FormData; headers?: Record<string, string> };

async function request(path: string, init: Init): Promise<Response> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { Accept: 'application/json', ...init.headers };
  if (init.body !== undefined) headers['Content-Type'] = 'application/json';
  if (init.text) headers['Content-Type'] = init.text.type;
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  try {
    // no-cache: public routes (e.g. /api/pricebook) are cacheable for visitors, but staff must see changes at once.
    const body = init.form ?? (init.text ? init.text.data : init.body === undefined ? undefined : JSON.stringify(init.body));
    return await fetch(scoped(path), { method, headers, credentials: 'same-origin', cache: 'no-cache', body });
  } catch {
    throw new ApiError(0, 'network', 'network');
  }
}

function errorOf(res: Response, body: { error?: { code?: string; message?: string; details?: unknown } } | null): ApiError {
  const e = body?.error ?? {};
  return new ApiError(res.status, e.code ?? 'internal', e.message ?? res.statusText, Number(res.headers.get('Retry-After')) || undefined, e.details);
}

export async function api<T>(path: string, init: Init = {}): Promise<T> {
  const res = await request(path, init);
  if (res.status === 204) return undefined as T;
  const body = await res.json().catch(() => null);
  if (!res.ok) throw errorOf(res, body);
  return body as T;
}

/** A GET answered as a file (e.g. `Accept: text/csv`): the same session, CSRF and business scope as api(). */
export async function apiBlob(path: string, accept: string): Promise<Blob> {
  const res = await request(path, { headers: { Accept: accept } });
  if (!res.ok) throw errorOf(res, await res.json().catch(() => null));
  return res.blob();
}

/**
 * A POST to a chat route with `"stream": true`: `onToken` gets Bob's answer piece by piece as the
 * model writes it, and the result is the route's usual body (whose text is the final answer). A
 * server or route that answers with plain JSON works too. Errors are ApiErrors, as with api().
 */
export async function apiStream<T>(path: string, body: Record<string, unknown>, onToken: (text: string) => void): Promise<T> {
  const res = await request(path, { method: 'POST', body: { ...body, stream: true }, headers: { Accept: 'text/event-stream, application/json' } });
  if (!res.ok) throw errorOf(res, await res.json().catch(() => null));
  try {
    return await readReply<T>(res, onToken);
  } catch (err) {
    // An `error` event, a connection cut mid-answer, or a body that is not what it claims.
    const code = (err as StreamFailure).code ?? (err instanceof TypeError ? 'network' : 'internal');
    throw new ApiError(code === 'network' ? 0 : 500, code, code === 'network' ? 'network' : (err as Error).message);
  }
}
