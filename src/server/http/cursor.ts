import { HttpError } from '../errors';

/** Keyset cursors for lists ordered by (time, id) newest first: opaque to clients. */
export const encodeCursor = (at: string, id: string) => Buffer.from(JSON.stringify([at, id])).toString('base64url');

export function decodeCursor(c: string | undefined): { at: string; id: string } | undefined {
  if (!c) return undefined;
  try {
    const [at, id] = JSON.parse(Buffer.from(c, 'base64url').toString()) as [unknown, unknown];
    if (typeof at === 'string' && typeof id === 'string') return { at, id };
  } catch {
    // fall through to the 400
  }
  throw new HttpError(400, 'invalid_request', 'Invalid cursor');
}
