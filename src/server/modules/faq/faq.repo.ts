import type { Db } from '../../db/client';

export interface FaqRow {
  id: string;
  tenant_id: string;
  question: string;
  answer: string;
  created_at: string;
  updated_at: string;
}

export type FaqRepo = ReturnType<typeof createFaqRepo>;

export function createFaqRepo(db: Db) {
  const all = db.prepare<[string], FaqRow>('SELECT * FROM faq_entries WHERE tenant_id = ? ORDER BY created_at, id');
  const version = db.prepare<[string], { n: number; latest: string | null; rows: number | null }>(
    'SELECT COUNT(*) AS n, MAX(updated_at) AS latest, SUM(rowid) AS rows FROM faq_entries WHERE tenant_id = ?',
  );
  const byId = db.prepare<[string, string], FaqRow>('SELECT * FROM faq_entries WHERE tenant_id = ? AND id = ?');
  const update = db.prepare('UPDATE faq_entries SET question = ?, answer = ?, updated_at = ? WHERE tenant_id = ? AND id = ?');
  const remove = db.prepare('DELETE FROM faq_entries WHERE tenant_id = ? AND id = ?');
  const insert = db.prepare(
    'INSERT INTO faq_entries (id, tenant_id, question, answer, created_at, updated_at) VALUES (@id, @tenant_id, @question, @answer, @at, @at)',
  );
  return {
    forTenant: (tenantId: string) => all.all(tenantId),
    /** Changes whenever an entry is added, edited or removed (for the responder's index cache). */
    version: (tenantId: string) => {
      const v = version.get(tenantId)!;
      return `${v.n}:${v.latest ?? ''}:${v.rows ?? 0}`;
    },
    byId: (tenantId: string, id: string) => byId.get(tenantId, id),
    update: (tenantId: string, id: string, question: string, answer: string, at: string) => update.run(question, answer, at, tenantId, id),
    remove: (tenantId: string, id: string) => remove.run(tenantId, id).changes > 0,
    insert: (e: { id: string; tenant_id: string; question: string; answer: string; at: string }) => insert.run(e),
  };
}
