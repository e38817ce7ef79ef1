import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import { redact } from '../../logger';

export interface AuditEntry {
  tenantId: string;
  actorId?: string | null;
  actorEmail?: string | null;
  action: string;
  targetType?: string | null;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
  ip?: string | null;
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;

export function createAuditRepo(db: Db, now: () => Date) {
  const insert = db.prepare(
    `INSERT INTO audit_log (id, tenant_id, actor_id, actor_email, action, target_type, target_id, before, after, ip, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(redact(v)));
  return {
    /** Records one change; credential-like fields in before/after are redacted. */
    record(e: AuditEntry): void {
      insert.run(
        randomUUID(),
        e.tenantId,
        e.actorId ?? null,
        e.actorEmail ?? null,
        e.action,
        e.targetType ?? null,
        e.targetId ?? null,
        json(e.before),
        json(e.after),
        e.ip ?? null,
        now().toISOString(),
      );
    },
  };
}
