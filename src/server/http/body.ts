import { HttpError } from '../errors';
import type { AppContext } from './context';

export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * Reads a JSON request body up to `limit` bytes. Returns undefined when the request has no
 * body. Wrong content type → 415, too large → 413, malformed JSON → 400 (never a 500).
 */
export async function readJsonBody(ctx: AppContext, limit: number): Promise<unknown> {
  const declared = ctx.request.length;
  if (declared !== undefined && declared > limit) throw tooLarge(limit);
  const type = ctx.request.is('application/json', '+json');
  if (type === null) return undefined;
  if (type === false) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) {
      ctx.set('Connection', 'close');
      throw tooLarge(limit);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, 'invalid_request', `Malformed JSON: ${(err as Error).message}`);
  }
}

function tooLarge(limit: number) {
  return new HttpError(413, 'payload_too_large', `The request body is larger than ${Math.round(limit / 1024)} KB`);
}
