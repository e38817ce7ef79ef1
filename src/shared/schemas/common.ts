import { z } from 'zod';

export const uuid = z.uuid();
/** Timestamps and days are checked against the calendar (no 2026-02-30), not just their shape. */
export const isoDateTime = z.iso.datetime({ offset: true });
export const isoDate = z.iso.date({ error: 'use an existing day as YYYY-MM-DD' });

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string().describe('snake_case error code'),
      message: z.string(),
      details: z.unknown().optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Opaque cursors as the server hands them out: base64url keysets (or a slug), and sequence numbers. */
export const keysetCursor = z.string().max(200).regex(/^[A-Za-z0-9_-]+$/, 'use a next_cursor from a previous page');
export const seqCursor = z.string().regex(/^\d{1,15}$/, 'use a next_cursor from a previous page');

export const paginationQuery = z.object({
  cursor: keysetCursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function listOf<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}
