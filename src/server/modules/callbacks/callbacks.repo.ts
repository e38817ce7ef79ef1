import type { Selectable } from 'kysely';
import type { CallbackRequest, CallbackRequestDetail } from '../../../shared/schemas/callbacks';
import type { CallbackRequestsTable, TenantEmailSettingsTable } from '../../storage/schema';
import type { Storage } from '../../storage/sqlite';

export type CallbacksRepo = ReturnType<typeof createCallbacksRepo>;
export type CallbackRow = Selectable<CallbackRequestsTable> & { external_id: string };
export type EmailSettingsRow = Selectable<TenantEmailSettingsTable>;

/** A request as its events carry it: never the contact details or the message. */
export const toCallback = (r: CallbackRow): CallbackRequest => ({
  id: r.id,
  session_id: r.session_id,
  external_id: r.external_id,
  reason: r.reason,
  status: r.status,
  created_at: r.created_at,
  answered_at: r.answered_at,
});
export const toCallbackDetail = (r: CallbackRow): CallbackRequestDetail => ({ ...toCallback(r), email: r.email, phone: r.phone, message: r.message });

/** Issue #23: requests to be answered later, the business's SMTP settings, and the handoffs already told nobody is here. */
export function createCallbacksRepo(db: Storage) {
  const requests = () =>
    db.selectFrom('callback_requests as c').innerJoin('chat_sessions as s', 's.id', 'c.session_id').selectAll('c').select('s.external_id');
  return {
    insert: async (row: Omit<CallbackRow, 'status' | 'answered_at' | 'answered_by' | 'external_id'>) => {
      await db.insertInto('callback_requests').values({ ...row, answered_at: null, answered_by: null }).execute();
    },
    byId: async (tenantId: string, id: string) => (await requests().where('c.tenant_id', '=', tenantId).where('c.id', '=', id).executeTakeFirst()) as CallbackRow | undefined,
    list: async (tenantId: string, status: 'open' | 'answered', limit = 200) =>
      (await requests().where('c.tenant_id', '=', tenantId).where('c.status', '=', status).orderBy('c.created_at', status === 'open' ? 'asc' : 'desc').limit(limit).execute()) as CallbackRow[],
    /** Marks it answered unless it already was; false: someone else answered first. */
    markAnswered: async (id: string, by: string, at: string): Promise<boolean> => {
      const r = await db.updateTable('callback_requests').set({ status: 'answered', answered_at: at, answered_by: by }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    /** Requests from one conversation in the last `since` (the per-conversation limit). */
    countSince: async (sessionId: string, since: string) =>
      Number((await db.selectFrom('callback_requests').select((eb) => eb.fn.countAll().as('n')).where('session_id', '=', sessionId).where('created_at', '>=', since).executeTakeFirstOrThrow()).n),

    emailSettings: (tenantId: string) => db.selectFrom('tenant_email_settings').selectAll().where('tenant_id', '=', tenantId).executeTakeFirst(),
    saveEmailSettings: async (row: EmailSettingsRow) => {
      const { tenant_id: _t, ...changes } = row;
      await db.insertInto('tenant_email_settings').values(row).onConflict((oc) => oc.column('tenant_id').doUpdateSet(changes)).execute();
    },

    /** Handoffs of this tenant waiting since before `cutoff` and not yet told nobody is here. */
    timedOut: (tenantId: string, cutoff: string) =>
      db
        .selectFrom('chat_sessions as s')
        .select(['s.id', 's.external_id', 's.waiting_since', 's.language', 's.tenant_id'])
        .where('s.tenant_id', '=', tenantId)
        .where('s.status', '=', 'waiting_for_agent')
        .where('s.waiting_since', 'is not', null)
        .where('s.waiting_since', '<=', cutoff)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('callback_offers as o').select('o.session_id').whereRef('o.session_id', '=', 's.id').whereRef('o.waiting_since', '=', 's.waiting_since'))))
        .limit(200)
        .execute(),
    /** Records the offer; false when another run recorded it first. */
    recordOffer: async (sessionId: string, waitingSince: string, at: string): Promise<boolean> => {
      const r = await db.insertInto('callback_offers').values({ session_id: sessionId, waiting_since: waitingSince, offered_at: at }).onConflict((oc) => oc.columns(['session_id', 'waiting_since']).doNothing()).executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0n) > 0;
    },
    /** Tenants with a handoff waiting (the periodic check's candidates). */
    tenantsWaiting: async () =>
      (await db.selectFrom('chat_sessions').select('tenant_id').distinct().where('status', '=', 'waiting_for_agent').execute()).map((r) => r.tenant_id),
  };
}
