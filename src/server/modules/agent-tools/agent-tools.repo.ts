import type { Selectable } from 'kysely';
import type { CannedResponsesTable, ChatLabelsTable } from '../../storage/schema';
import type { Storage } from '../../storage/sqlite';

// Issue #23, tools for agents: a business's quick replies and labels, the labels set on its
// conversations, and the teammates a conversation can be assigned to.

export type CannedRow = Selectable<CannedResponsesTable>;
export type LabelRow = Selectable<ChatLabelsTable>;
export type AgentToolsRepo = ReturnType<typeof createAgentToolsRepo>;

const CANNED = ['id', 'tenant_id', 'shortcut', 'title', 'body_en', 'body_it', 'created_at', 'updated_at'] as const;
const LABEL = ['id', 'tenant_id', 'name', 'color', 'created_at'] as const;

export function createAgentToolsRepo(db: Storage) {
  return {
    cannedList: (tenantId: string): Promise<CannedRow[]> => db.selectFrom('canned_responses').select(CANNED).where('tenant_id', '=', tenantId).orderBy('shortcut').execute(),
    cannedById: (tenantId: string, id: string): Promise<CannedRow | undefined> =>
      db.selectFrom('canned_responses').select(CANNED).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst(),
    cannedByShortcut: (tenantId: string, shortcut: string): Promise<CannedRow | undefined> =>
      db.selectFrom('canned_responses').select(CANNED).where('tenant_id', '=', tenantId).where('shortcut', '=', shortcut).executeTakeFirst(),
    insertCanned: async (row: CannedRow) => {
      await db.insertInto('canned_responses').values(row).execute();
    },
    updateCanned: async (row: CannedRow) => {
      await db
        .updateTable('canned_responses')
        .set({ shortcut: row.shortcut, title: row.title, body_en: row.body_en, body_it: row.body_it, updated_at: row.updated_at })
        .where('tenant_id', '=', row.tenant_id)
        .where('id', '=', row.id)
        .execute();
    },
    deleteCanned: async (tenantId: string, id: string) => {
      await db.deleteFrom('canned_responses').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },

    labels: (tenantId: string): Promise<LabelRow[]> => db.selectFrom('chat_labels').select(LABEL).where('tenant_id', '=', tenantId).orderBy('name').execute(),
    labelById: (tenantId: string, id: string): Promise<LabelRow | undefined> =>
      db.selectFrom('chat_labels').select(LABEL).where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst(),
    labelByName: (tenantId: string, name: string): Promise<LabelRow | undefined> =>
      db.selectFrom('chat_labels').select(LABEL).where('tenant_id', '=', tenantId).where('name', '=', name).executeTakeFirst(),
    insertLabel: async (row: LabelRow) => {
      await db.insertInto('chat_labels').values(row).execute();
    },
    deleteLabel: async (tenantId: string, id: string) => {
      await db.deleteFrom('chat_labels').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },

    /** The labels of each of these sessions, by name. */
    async labelsOf(sessionIds: readonly string[]): Promise<Map<string, LabelRow[]>> {
      const found = new Map<string, LabelRow[]>();
      if (!sessionIds.length) return found;
      const rows = await db
        .selectFrom('chat_session_labels as sl')
        .innerJoin('chat_labels as l', 'l.id', 'sl.label_id')
        .select(['sl.session_id', 'l.id', 'l.tenant_id', 'l.name', 'l.color', 'l.created_at'])
        .where('sl.session_id', 'in', [...sessionIds])
        .orderBy('l.name')
        .execute();
      for (const { session_id, ...label } of rows) found.set(session_id, [...(found.get(session_id) ?? []), label]);
      return found;
    },
    /** Replaces a session's labels (ids already checked to be its tenant's). */
    async setSessionLabels(sessionId: string, labelIds: readonly string[]) {
      await db.deleteFrom('chat_session_labels').where('session_id', '=', sessionId).execute();
      if (labelIds.length) await db.insertInto('chat_session_labels').values(labelIds.map((label_id) => ({ session_id: sessionId, label_id }))).execute();
    },
    setAssignee: async (tenantId: string, sessionId: string, userId: string | null, at: string) => {
      await db.updateTable('chat_sessions').set({ assigned_user_id: userId, updated_at: at }).where('tenant_id', '=', tenantId).where('id', '=', sessionId).execute();
    },

    /** The business's active members (who a conversation can be assigned to). */
    teammates: (tenantId: string) =>
      db.selectFrom('users').select(['id', 'name', 'email']).where('tenant_id', '=', tenantId).where('disabled_at', 'is', null).orderBy('name').orderBy('email').execute(),
    teammate: (tenantId: string, id: string) =>
      db.selectFrom('users').select(['id', 'name', 'email']).where('tenant_id', '=', tenantId).where('id', '=', id).where('disabled_at', 'is', null).executeTakeFirst(),
  };
}
