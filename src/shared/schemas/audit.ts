import { z } from 'zod';
import { isoDateTime, keysetCursor, listOf, uuid } from './common';

export const AuditEntry = z
  .object({
    id: uuid,
    tenant_id: uuid,
    actor_id: uuid.nullable(),
    actor_email: z.string().nullable(),
    actor_name: z.string().nullable().describe("the actor's name as the team lists it (null once the user is gone)"),
    action: z.string(),
    target_type: z.string().nullable(),
    target_id: z.string().nullable(),
    target_name: z
      .string()
      .nullable()
      .describe("how the target is known elsewhere: a persona's name, a widget key's label, a webhook's host, a member's name, a conversation's visitor name"),
    session_id: z.string().nullable().describe("for a conversation: the visitor's session id, as Live shows it"),
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
