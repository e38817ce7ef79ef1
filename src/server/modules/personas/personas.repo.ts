import type { Selectable } from 'kysely';
import type { PersonasTable } from '../../storage/schema';
import { compiledQuery } from '../../storage/compiled';
import { dialectOf } from '../../storage/dialect';
import type { Storage } from '../../storage/sqlite';

/** `draft`: unpublished edits, PersonaFields as JSON; null when there are none. */
export type PersonaRow = Selectable<PersonasTable>;

export type PersonasRepo = ReturnType<typeof createPersonasRepo>;

// Read on every visitor message: compiled once.
const Q = {
  byId: compiledQuery((db, a: { tenantId: string; id: string }) => db.selectFrom('personas').selectAll().where('tenant_id', '=', a.tenantId).where('id', '=', a.id)),
  defaultFor: compiledQuery((db, a: { tenantId: string }) => db.selectFrom('personas').selectAll().where('tenant_id', '=', a.tenantId).where(dialectOf(db).flagIsSet('is_default'))),
};

export function createPersonasRepo(db: Storage) {
  const personas = (tenantId: string) => db.selectFrom('personas').where('tenant_id', '=', tenantId);
  const versions = (tenantId: string, id: string) =>
    db.selectFrom('persona_versions').select(['version', 'snapshot', 'created_at']).where('tenant_id', '=', tenantId).where('persona_id', '=', id);
  const insertVersion = async (p: { id: string; tenant_id: string; name: string; description: string; tone: string; system_prompt: string; at: string; actor_id: string | null }, version: number) => {
    const snapshot = { name: p.name, description: p.description, tone: p.tone, systemPrompt: p.system_prompt };
    await db
      .insertInto('persona_versions')
      .values({ persona_id: p.id, tenant_id: p.tenant_id, version, snapshot: JSON.stringify(snapshot), actor_id: p.actor_id, created_at: p.at })
      .execute();
  };
  return {
    list: (tenantId: string): Promise<PersonaRow[]> => personas(tenantId).selectAll().orderBy('is_default', 'desc').orderBy('name').orderBy('id').execute(),
    /** Saves a new version if `expectedVersion` is still current; false when someone saved first. */
    async update(p: { tenant_id: string; id: string; name: string; description: string; tone: string; system_prompt: string; at: string; actor_id: string | null }, expectedVersion: number): Promise<boolean> {
      const r = await db
        .updateTable('personas')
        .set((eb) => ({ name: p.name, description: p.description, tone: p.tone, system_prompt: p.system_prompt, version: eb('version', '+', 1), updated_at: p.at }))
        .where('tenant_id', '=', p.tenant_id)
        .where('id', '=', p.id)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      if (r.numUpdatedRows === 0n) return false;
      await insertVersion(p, expectedVersion + 1);
      return true;
    },
    remove: async (tenantId: string, id: string) => {
      const r = await db.deleteFrom('personas').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
    /** Stores unpublished edits (PersonaFields as JSON), or clears them with null; the version does not change. */
    setDraft: async (tenantId: string, id: string, draft: string | null, at: string) => {
      const r = await db
        .updateTable('personas')
        .set({ draft, draft_updated_at: draft === null ? null : at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    async makeDefault(tenantId: string, id: string, at: string) {
      await db.updateTable('personas').set({ is_default: 0 }).where('tenant_id', '=', tenantId).where('is_default', '=', 1).execute();
      await db.updateTable('personas').set({ is_default: 1, updated_at: at }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    versions: (tenantId: string, id: string) => versions(tenantId, id).orderBy('version', 'desc').execute(),
    version: (tenantId: string, id: string, v: number) => versions(tenantId, id).where('version', '=', v).executeTakeFirst(),
    byId: (tenantId: string, id: string) => Q.byId.first(db, { tenantId, id }),
    defaultFor: (tenantId: string) => Q.defaultFor.first(db, { tenantId }),
    /** Creates a persona at version 1 and records that version. */
    async insert(p: { id: string; tenant_id: string; name: string; description: string; tone: string; system_prompt: string; is_default: boolean; at: string; actor_id: string | null }) {
      await db
        .insertInto('personas')
        .values({ id: p.id, tenant_id: p.tenant_id, name: p.name, description: p.description, tone: p.tone, system_prompt: p.system_prompt, is_default: p.is_default ? 1 : 0, version: 1, created_at: p.at, updated_at: p.at })
        .execute();
      await insertVersion(p, 1);
    },
  };
}
