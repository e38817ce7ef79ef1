import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { redact } from '../../logger';
import type { SqlDialect } from '../../storage/dialect';
import type { AuditLogTable } from '../../storage/schema';
import type { Storage } from '../../storage/sqlite';

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

/** Records an entry in the audit log of a unit of work's run (`tx.audit`): written as the run ends, in its transaction. */
export type Audit = (entry: AuditEntry) => void;

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

export type AuditRepo = ReturnType<typeof createAuditRepo>;

const json = (v: unknown) => (v === undefined || v === null ? null : JSON.stringify(redact(v)));

export function createAuditRepo(db: Storage, dialect: SqlDialect, now: () => Date) {
  /**
   * Entries with how people know each target elsewhere in Mission Control: a persona's name, a
   * key's label, a webhook's URL, a member's name, a conversation's visitor (name and session id).
   */
  const named = () =>
    db
      .selectFrom('audit_log as a')
      .leftJoin('users as actor', 'actor.id', 'a.actor_id')
      .leftJoin('chat_sessions as cs', (j) => j.on('a.target_type', '=', 'chat_session').onRef('cs.id', '=', 'a.target_id').onRef('cs.tenant_id', '=', 'a.tenant_id'))
      .leftJoin('personas as p', (j) => j.on('a.target_type', '=', 'persona').onRef('p.id', '=', 'a.target_id').onRef('p.tenant_id', '=', 'a.tenant_id'))
      .leftJoin('widget_keys as k', (j) => j.on('a.target_type', '=', 'widget_key').onRef('k.id', '=', 'a.target_id').onRef('k.tenant_id', '=', 'a.tenant_id'))
      .leftJoin('webhook_endpoints as w', (j) => j.on('a.target_type', '=', 'webhook').onRef('w.id', '=', 'a.target_id').onRef('w.tenant_id', '=', 'a.tenant_id'))
      .leftJoin('faq_entries as f', (j) => j.on('a.target_type', '=', 'faq').onRef('f.id', '=', 'a.target_id').onRef('f.tenant_id', '=', 'a.tenant_id'))
      .leftJoin('users as u', (j) => j.on('a.target_type', '=', 'user').onRef('u.id', '=', 'a.target_id'))
      .leftJoin('tenants as t', (j) => j.on('a.target_type', '=', 'tenant').onRef('t.id', '=', 'a.target_id'))
      .selectAll('a')
      .select((eb) => [
        'actor.name as actor_name',
        'cs.external_id as session_id',
        // (Kysely types COALESCE up to five arguments: the last four in one of their own.)
        eb.fn
          .coalesce('cs.visitor_name', 'p.name', eb.fn<string | null>('nullif', ['k.label', eb.val('')]), eb.fn.coalesce('w.url', 'f.question', 'u.name', 't.name'))
          .as('target_name'),
      ]);
  return {
    /** Newest first, filtered; keyset pagination on (at, id). `action` ending in "." is a prefix. */
    async list(f: { tenantId: string; action?: string; actorId?: string; targetId?: string; from?: string; to?: string; before?: { at: string; id: string }; limit: number }) {
      let q = named().where('a.tenant_id', '=', f.tenantId);
      const action = f.action;
      if (action) q = q.where((eb) => (action.endsWith('.') ? dialect.startsWith(eb.ref('a.action'), action) : eb('a.action', '=', action)));
      if (f.actorId) q = q.where('a.actor_id', '=', f.actorId);
      if (f.targetId) q = q.where('a.target_id', '=', f.targetId);
      if (f.from) q = q.where('a.at', '>=', f.from);
      if (f.to) q = q.where('a.at', '<', f.to);
      const before = f.before;
      if (before) q = q.where((eb) => eb(eb.refTuple('a.at', 'a.id'), '<', eb.tuple(before.at, before.id)));
      const rows: AuditRow[] = await q.orderBy('a.at', 'desc').orderBy('a.id', 'desc').limit(f.limit).execute();
      return rows.map((r) => {
        const before = r.before ? JSON.parse(r.before) : null;
        const after = r.after ? JSON.parse(r.after) : null;
        const name = r.target_name ?? recordedName(r.target_type, before) ?? recordedName(r.target_type, after);
        return { ...r, before, after, target_name: name && r.target_type === 'webhook' ? hostOf(name) : name };
      });
    },
    /** Every entry of every tenant in the order recorded, before and after as stored (JSON text): for inspection (tests). */
    recorded: () => db.selectFrom('audit_log as a').selectAll().orderBy(dialect.insertionOrder('a')).execute(),
    /** Stores audit entries (a unit of work writes its runs' as they end); credential-like fields in before/after are redacted. */
    async append(entries: AuditEntry[]): Promise<void> {
      const at = now().toISOString();
      for (const e of entries) {
        await db
          .insertInto('audit_log')
          .values({
            id: randomUUID(),
            tenant_id: e.tenantId,
            actor_id: e.actorId ?? null,
            actor_email: e.actorEmail ?? null,
            action: e.action,
            target_type: e.targetType ?? null,
            target_id: e.targetId ?? null,
            before: json(e.before),
            after: json(e.after),
            ip: e.ip ?? null,
            at,
          })
          .execute();
      }
    },
  };
}
