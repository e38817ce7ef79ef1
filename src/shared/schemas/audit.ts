import { z } from 'zod';
import { isoDateTime, keysetCursor, listOf, uuid } from './common';

export const AuditEntry = z
  .object({
    id: uuid,
    tenant_id: uuid,
    actor_id: uuid.nullable(),
    actor_email: z.string().nullable(),
    action: z.string(),
    target_type: z.string().nullable(),
    target_id: z.string().nullable(),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    ip: z.string().nullable(),
    at: isoDateTime,
  })
  .meta({ id: 'AuditEntry' });

export const AuditQuery = z.object({
  action: z.string().max(80).optional().describe('exact action, or a prefix ending in "." (e.g. "persona.")'),
  actor_id: uuid.optional(),
  target_id: z.string().max(128).optional(),
  from: isoDateTime.optional(),
  to: isoDateTime.optional(),
  cursor: keysetCursor.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  business_id: z.string().max(64).optional(),
});

export const AuditList = listOf(AuditEntry).meta({ id: 'AuditList' });
