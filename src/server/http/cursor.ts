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

/** Cursors for lists ordered by an integer sequence (message seq, delivery id): the number as text. */
export function decodeSeqCursor(c: string | undefined): number | undefined {
  if (!c) return undefined;
  const n = Number(c);
  if (!Number.isSafeInteger(n)) throw new HttpError(400, 'invalid_request', 'Invalid cursor');
  return n;
}

/**
 * One page of a keyset-paged list. The caller fetched `limit + 1` rows: the extra one only tells
 * that there is more, and the next page starts after the last row kept.
 */
export function pageOf<T>(rows: T[], limit: number, cursorOf: (last: T) => string): { data: T[]; next_cursor: string | null } {
  const data = rows.slice(0, limit);
  return { data, next_cursor: rows.length > limit ? cursorOf(data[data.length - 1]!) : null };
}
