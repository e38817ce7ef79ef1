import type { Selectable } from 'kysely';
import type { SqlDialect } from '../../storage/dialect';
import type { FaqEntriesTable } from '../../storage/schema';
import { tenantRowsVersion } from '../../storage/rows-version';
import type { Storage } from '../../storage/sqlite';

export type FaqRow = Selectable<FaqEntriesTable>;

export type FaqRepo = ReturnType<typeof createFaqRepo>;

const versionOf = tenantRowsVersion('faq_entries');

/** Each business's FAQ entries. */
export function createFaqRepo(db: Storage, dialect: SqlDialect) {
  const entries = (tenantId: string) => db.selectFrom('faq_entries').where('tenant_id', '=', tenantId);
  return {
    forTenant: (tenantId: string): Promise<FaqRow[]> => entries(tenantId).selectAll().orderBy('created_at').orderBy('id').execute(),
    /** Changes whenever an entry is added, edited or removed (for the responder's index cache). */
    version: (tenantId: string) => versionOf(db, dialect, tenantId),
    byId: (tenantId: string, id: string) => entries(tenantId).selectAll().where('id', '=', id).executeTakeFirst(),
    update: async (tenantId: string, id: string, question: string, answer: string, at: string) => {
      await db.updateTable('faq_entries').set({ question, answer, updated_at: at }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    remove: async (tenantId: string, id: string) => {
      const r = await db.deleteFrom('faq_entries').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
    insert: async (e: { id: string; tenant_id: string; question: string; answer: string; at: string }) => {
      const { at, ...entry } = e;
      await db
        .insertInto('faq_entries')
        .values({ ...entry, created_at: at, updated_at: at })
        .execute();
    },
  };
}
