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

interface AuditRow {
  id: string;
  tenant_id: string;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  before: string | null;
  after: string | null;
  ip: string | null;
  at: string;
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;

export function createAuditRepo(db: Db, now: () => Date) {
  const insert = db.prepare(
    `INSERT INTO audit_log (id, tenant_id, actor_id, actor_email, action, target_type, target_id, before, after, ip, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(redact(v)));
  return {
    /** Newest first, filtered; keyset pagination on (at, id). */
    list(f: { tenantId: string; action?: string; actorId?: string; targetId?: string; from?: string; to?: string; before?: { at: string; id: string }; limit: number }) {
      const where = ['tenant_id = ?'];
      const args: unknown[] = [f.tenantId];
      if (f.action) {
        where.push(f.action.endsWith('.') ? 'action LIKE ? ESCAPE \'\\\'' : 'action = ?');
        args.push(f.action.endsWith('.') ? f.action.replace(/[%_\\]/g, (c) => '\\' + c) + '%' : f.action);
      }
      if (f.actorId) (where.push('actor_id = ?'), args.push(f.actorId));
      if (f.targetId) (where.push('target_id = ?'), args.push(f.targetId));
      if (f.from) (where.push('at >= ?'), args.push(f.from));
      if (f.to) (where.push('at < ?'), args.push(f.to));
      if (f.before) (where.push('(at < ? OR (at = ? AND id < ?))'), args.push(f.before.at, f.before.at, f.before.id));
      const rows = db
        .prepare<unknown[], AuditRow>(`SELECT * FROM audit_log WHERE ${where.join(' AND ')} ORDER BY at DESC, id DESC LIMIT ?`)
        .all(...args, f.limit);
      return rows.map((r) => ({ ...r, before: r.before ? JSON.parse(r.before) : null, after: r.after ? JSON.parse(r.after) : null }));
    },
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
