import type { Db } from '../../db/client';

export interface PersonaRow {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  tone: string;
  system_prompt: string;
  is_default: 0 | 1;
  version: number;
  created_at: string;
  updated_at: string;
  /** Unpublished edits: PersonaFields as JSON; null when there are none. */
  draft: string | null;
  draft_updated_at: string | null;
}

export type PersonasRepo = ReturnType<typeof createPersonasRepo>;

export function createPersonasRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO personas (id, tenant_id, name, description, tone, system_prompt, is_default, version, created_at, updated_at)
     VALUES (@id, @tenant_id, @name, @description, @tone, @system_prompt, @is_default, 1, @at, @at)`,
  );
  const insertVersion = db.prepare(
    `INSERT INTO persona_versions (persona_id, tenant_id, version, snapshot, actor_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?)`,
  );
  const byId = db.prepare<[string, string], PersonaRow>('SELECT * FROM personas WHERE tenant_id = ? AND id = ?');
  const defaultFor = db.prepare<[string], PersonaRow>('SELECT * FROM personas WHERE tenant_id = ? AND is_default = 1');
  const list = db.prepare<[string], PersonaRow>('SELECT * FROM personas WHERE tenant_id = ? ORDER BY is_default DESC, name, id');
  const update = db.prepare(
    `UPDATE personas SET name = @name, description = @description, tone = @tone, system_prompt = @system_prompt,
       version = version + 1, updated_at = @at WHERE tenant_id = @tenant_id AND id = @id AND version = @version`,
  );
  const setDraft = db.prepare('UPDATE personas SET draft = ?, draft_updated_at = ? WHERE tenant_id = ? AND id = ?');
  const remove = db.prepare('DELETE FROM personas WHERE tenant_id = ? AND id = ?');
  const clearDefault = db.prepare('UPDATE personas SET is_default = 0 WHERE tenant_id = ? AND is_default = 1');
  const setDefault = db.prepare('UPDATE personas SET is_default = 1, updated_at = ? WHERE tenant_id = ? AND id = ?');
  const versions = db.prepare<[string, string], { version: number; snapshot: string; created_at: string }>(
    'SELECT version, snapshot, created_at FROM persona_versions WHERE tenant_id = ? AND persona_id = ? ORDER BY version DESC',
  );
  const version = db.prepare<[string, string, number], { version: number; snapshot: string; created_at: string }>(
    'SELECT version, snapshot, created_at FROM persona_versions WHERE tenant_id = ? AND persona_id = ? AND version = ?',
  );
  return {
    list: (tenantId: string) => list.all(tenantId),
    /** Saves a new version if `expectedVersion` is still current; false when someone saved first. */
    update(p: { tenant_id: string; id: string; name: string; description: string; tone: string; system_prompt: string; at: string; actor_id: string | null }, expectedVersion: number): boolean {
      if (update.run({ ...p, version: expectedVersion }).changes === 0) return false;
      const snapshot = { name: p.name, description: p.description, tone: p.tone, systemPrompt: p.system_prompt };
      insertVersion.run(p.id, p.tenant_id, expectedVersion + 1, JSON.stringify(snapshot), p.actor_id, p.at);
      return true;
    },
    remove: (tenantId: string, id: string) => remove.run(tenantId, id).changes > 0,
    /** Stores unpublished edits (PersonaFields as JSON), or clears them with null; the version does not change. */
    setDraft: (tenantId: string, id: string, draft: string | null, at: string) => setDraft.run(draft, draft === null ? null : at, tenantId, id).changes > 0,
    makeDefault(tenantId: string, id: string, at: string) {
      clearDefault.run(tenantId);
      setDefault.run(at, tenantId, id);
    },
    versions: (tenantId: string, id: string) => versions.all(tenantId, id),
    version: (tenantId: string, id: string, v: number) => version.get(tenantId, id, v),
    byId: (tenantId: string, id: string) => byId.get(tenantId, id),
    defaultFor: (tenantId: string) => defaultFor.get(tenantId),
    /** Creates a persona at version 1 and records that version. */
    insert(p: { id: string; tenant_id: string; name: string; description: string; tone: string; system_prompt: string; is_default: boolean; at: string; actor_id: string | null }) {
      insert.run({ ...p, is_default: p.is_default ? 1 : 0 });
      const snapshot = { name: p.name, description: p.description, tone: p.tone, systemPrompt: p.system_prompt };
      insertVersion.run(p.id, p.tenant_id, 1, JSON.stringify(snapshot), p.actor_id, p.at);
    },
  };
}
