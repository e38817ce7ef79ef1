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
  return {
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
