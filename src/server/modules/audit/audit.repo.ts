import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Db } from '../../db/client';
import { redact } from '../../logger';
import type { AuditLogTable } from '../../storage/schema';

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

/** An audit row as listed: the stored columns, with the names the list joins in. */
type AuditRow = Selectable<AuditLogTable> & {
  actor_name: string | null;
  target_name: string | null;
  session_id: string | null;
};

/** A webhook is named by its host: its path or query may carry a token. */
const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return null;
  }
};

/** The name a target had when it was recorded, for targets deleted since. */
const recordedName = (type: string | null, snapshot: Record<string, unknown> | null) => {
  if (!snapshot) return null;
  const field = ({ persona: 'name', widget_key: 'label', webhook: 'url', faq: 'question', knowledge: 'title', user: 'name', tenant: 'name' } as Record<string, string>)[type ?? ''];
  const v = field ? snapshot[field] : undefined;
  return typeof v === 'string' ? v : null;
};

/**
 * How people know each target elsewhere in Mission Control: a persona's name, a key's label,
 * a webhook's URL, a member's name, a conversation's visitor (name and session id).
 */
const TARGET_NAMES = `
  LEFT JOIN users actor ON actor.id = a.actor_id
  LEFT JOIN chat_sessions cs ON a.target_type = 'chat_session' AND cs.id = a.target_id AND cs.tenant_id = a.tenant_id
  LEFT JOIN personas p ON a.target_type = 'persona' AND p.id = a.target_id AND p.tenant_id = a.tenant_id
  LEFT JOIN widget_keys k ON a.target_type = 'widget_key' AND k.id = a.target_id AND k.tenant_id = a.tenant_id
  LEFT JOIN webhook_endpoints w ON a.target_type = 'webhook' AND w.id = a.target_id AND w.tenant_id = a.tenant_id
  LEFT JOIN faq_entries f ON a.target_type = 'faq' AND f.id = a.target_id AND f.tenant_id = a.tenant_id
  LEFT JOIN users u ON a.target_type = 'user' AND u.id = a.target_id
  LEFT JOIN tenants t ON a.target_type = 'tenant' AND t.id = a.target_id`;
const NAMED_COLUMNS = `a.*, actor.name AS actor_name, cs.external_id AS session_id,
  COALESCE(cs.visitor_name, p.name, NULLIF(k.label, ''), w.url, f.question, u.name, t.name) AS target_name`;

export type AuditRepo = ReturnType<typeof createAuditRepo>;

export function createAuditRepo(db: Db, now: () => Date) {
  const insert = db.prepare(
    `INSERT INTO audit_log (id, tenant_id, actor_id, actor_email, action, target_type, target_id, before, after, ip, at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const recorded = db.prepare<[], Omit<AuditRow, 'actor_name' | 'target_name' | 'session_id'>>('SELECT * FROM audit_log ORDER BY rowid');
  const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(redact(v)));
  return {
    /** Newest first, filtered; keyset pagination on (at, id). */
    list(f: { tenantId: string; action?: string; actorId?: string; targetId?: string; from?: string; to?: string; before?: { at: string; id: string }; limit: number }) {
      const where = ['a.tenant_id = ?'];
      const args: unknown[] = [f.tenantId];
      if (f.action) {
        where.push(f.action.endsWith('.') ? 'a.action LIKE ? ESCAPE \'\\\'' : 'a.action = ?');
        args.push(f.action.endsWith('.') ? f.action.replace(/[%_\\]/g, (c) => '\\' + c) + '%' : f.action);
      }
      if (f.actorId) (where.push('a.actor_id = ?'), args.push(f.actorId));
      if (f.targetId) (where.push('a.target_id = ?'), args.push(f.targetId));
      if (f.from) (where.push('a.at >= ?'), args.push(f.from));
      if (f.to) (where.push('a.at < ?'), args.push(f.to));
      if (f.before) (where.push('(a.at < ? OR (a.at = ? AND a.id < ?))'), args.push(f.before.at, f.before.at, f.before.id));
      const rows = db
        .prepare<unknown[], AuditRow>(`SELECT ${NAMED_COLUMNS} FROM audit_log a ${TARGET_NAMES} WHERE ${where.join(' AND ')} ORDER BY a.at DESC, a.id DESC LIMIT ?`)
        .all(...args, f.limit);
      return rows.map((r) => {
        const before = r.before ? JSON.parse(r.before) : null;
        const after = r.after ? JSON.parse(r.after) : null;
        const name = r.target_name ?? recordedName(r.target_type, before) ?? recordedName(r.target_type, after);
        return { ...r, before, after, target_name: name && r.target_type === 'webhook' ? hostOf(name) : name };
      });
    },
    /** Every entry of every tenant in the order recorded, before and after as stored (JSON text): for inspection (tests). */
    recorded: () => recorded.all(),
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
