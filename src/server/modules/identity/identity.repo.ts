import type { Selectable } from 'kysely';
import type { VisitorProfilesTable } from '../../storage/schema';
import type { Storage } from '../../storage/sqlite';

export type VisitorProfileRow = Selectable<VisitorProfilesTable>;
export type IdentityRepo = ReturnType<typeof createIdentityRepo>;

/** Who conversations' visitors are (issue #23): the site's unverified claims and verified identities. */
export function createIdentityRepo(db: Storage) {
  const profile = (tenantId: string, externalId: string) =>
    db.selectFrom('visitor_profiles').selectAll().where('tenant_id', '=', tenantId).where('session_external_id', '=', externalId).executeTakeFirst();
  return {
    profile,
    /** Creates the conversation's profile or changes the given columns. */
    upsert: async (
      tenantId: string,
      externalId: string,
      set: Partial<Pick<VisitorProfileRow, 'name' | 'email' | 'attributes' | 'identity_sub' | 'verified_name' | 'verified_email' | 'verified_at'>>,
      at: string,
    ) => {
      await db
        .insertInto('visitor_profiles')
        .values({ tenant_id: tenantId, session_external_id: externalId, name: null, email: null, identity_sub: null, verified_name: null, verified_email: null, verified_at: null, ...set, updated_at: at })
        .onConflict((oc) => oc.columns(['tenant_id', 'session_external_id']).doUpdateSet({ ...set, updated_at: at }))
        .execute();
    },
    /** Forgets what the site said and verified about these conversations' visitors (an erasure, the retention policy); how many went. */
    forget: async (tenantId: string, externalIds: readonly string[]): Promise<number> => {
      if (!externalIds.length) return 0;
      const r = await db.deleteFrom('visitor_profiles').where('tenant_id', '=', tenantId).where('session_external_id', 'in', [...externalIds]).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    /** The identity's conversations that exist (a message was sent), newest first. */
    conversations: (tenantId: string, sub: string, limit = 50) =>
      db
        .selectFrom('visitor_profiles as p')
        .innerJoin('chat_sessions as s', (j) => j.onRef('s.tenant_id', '=', 'p.tenant_id').onRef('s.external_id', '=', 'p.session_external_id'))
        .select(['s.external_id', 's.status', 's.last_message', 's.last_message_at'])
        .where('p.tenant_id', '=', tenantId)
        .where('p.identity_sub', '=', sub)
        .orderBy('s.last_message_at', 'desc')
        .orderBy('s.id', 'desc')
        .limit(limit)
        .execute(),
  };
}
