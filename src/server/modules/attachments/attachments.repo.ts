import type { Selectable } from 'kysely';
import type { AttachmentsTable } from '../../storage/schema';
import type { Storage } from '../../storage/sqlite';

export type AttachmentRow = Selectable<AttachmentsTable>;
export type AttachmentsRepo = ReturnType<typeof createAttachmentsRepo>;

/** The rows of the files sent in conversations (issue #23); the bytes are the file store's. */
export function createAttachmentsRepo(db: Storage) {
  return {
    insert: async (row: AttachmentRow) => {
      await db.insertInto('attachments').values(row).execute();
    },
    /** This tenant's file; another tenant's is undefined. */
    byId: (tenantId: string, id: string) => db.selectFrom('attachments').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst(),
    /** Any tenant's file: platform admins and signed links (the signature names the file). */
    byAnyId: (id: string) => db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst(),
    /** The bytes the tenant's files take. */
    async usedBytes(tenantId: string): Promise<number> {
      const row = await db
        .selectFrom('attachments')
        .select((eb) => eb.fn.coalesce(eb.fn.sum<number | string>('size'), eb.lit(0)).as('n'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    /** A conversation's files, oldest first (a visitor's export). */
    forSession: (sessionId: string) => db.selectFrom('attachments').select(['id', 'message_id', 'name', 'type', 'size', 'sha256', 'created_at']).where('session_id', '=', sessionId).orderBy('created_at').orderBy('id').execute(),
    /** Deletes the rows of these sessions' files; their ids, for the file store to unlink after the commit. */
    async deleteOfSessions(tenantId: string, sessionIds: readonly string[]): Promise<string[]> {
      if (!sessionIds.length) return [];
      const rows = await db.selectFrom('attachments').select('id').where('tenant_id', '=', tenantId).where('session_id', 'in', [...sessionIds]).execute();
      if (rows.length) await db.deleteFrom('attachments').where('tenant_id', '=', tenantId).where('session_id', 'in', [...sessionIds]).execute();
      return rows.map((r) => r.id);
    },
  };
}
