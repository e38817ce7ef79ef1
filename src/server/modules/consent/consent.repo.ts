import type { Storage } from '../../storage/sqlite';

export type ConsentsRepo = ReturnType<typeof createConsentsRepo>;

/** Visitors' acceptances of a business's privacy notice (issue #22). */
export function createConsentsRepo(db: Storage) {
  return {
    /** Whether this conversation accepted notice `version`: one read of the unique index. */
    accepted: async (tenantId: string, externalId: string, version: number): Promise<boolean> =>
      (await db
        .selectFrom('visitor_consents')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('session_external_id', '=', externalId)
        .where('version', '=', version)
        .executeTakeFirst()) !== undefined,
    /** Records an acceptance; a second one of the same version keeps the first (idempotent). */
    accept: async (row: { id: string; tenant_id: string; session_external_id: string; version: number; accepted_at: string; ip_hash: string | null }) => {
      await db
        .insertInto('visitor_consents')
        .values(row)
        .onConflict((oc) => oc.columns(['tenant_id', 'session_external_id', 'version']).doNothing())
        .execute();
    },
    /** Forgets the acceptances of these conversations (an erasure, the retention policy); how many went. */
    forget: async (tenantId: string, externalIds: readonly string[]): Promise<number> => {
      if (!externalIds.length) return 0;
      const r = await db.deleteFrom('visitor_consents').where('tenant_id', '=', tenantId).where('session_external_id', 'in', [...externalIds]).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
    /** A conversation's acceptances, oldest first. */
    forSession: (tenantId: string, externalId: string) =>
      db
        .selectFrom('visitor_consents')
        .select(['version', 'accepted_at'])
        .where('tenant_id', '=', tenantId)
        .where('session_external_id', '=', externalId)
        .orderBy('accepted_at')
        .execute(),
  };
}
