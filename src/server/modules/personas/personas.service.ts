import { randomUUID } from 'node:crypto';
import type { Persona } from '../../../shared/schemas/personas';
import type { Clock } from '../../clock';
import { HttpError, conflict, notFound } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { UnitOfWork } from '../../storage/unit-of-work';
import type { Audit } from '../audit/audit.repo';
import type { PersonaRow, PersonasRepo } from './personas.repo';

export interface PersonaFields {
  name: string;
  description: string;
  tone: string;
  systemPrompt: string;
}

export const toPersona = (r: PersonaRow): Persona => ({
  id: r.id,
  name: r.name,
  description: r.description,
  tone: r.tone,
  systemPrompt: r.system_prompt,
  is_default: r.is_default === 1,
  version: r.version,
  updated_at: r.updated_at,
  draft: r.draft ? { ...(JSON.parse(r.draft) as PersonaFields), updated_at: r.draft_updated_at ?? r.updated_at } : null,
});

/** A strong validator per saved version: two admins editing offline cannot overwrite each other. */
export const etagOf = (p: { id: string; version: number }) => `"${p.id}.v${p.version}"`;

function checkIfMatch(row: PersonaRow, ifMatch: string | undefined) {
  if (!ifMatch || ifMatch.trim() === '*') return;
  const tags = ifMatch.split(',').map((t) => t.trim().replace(/^W\//, ''));
  if (!tags.includes(etagOf(row))) {
    throw new HttpError(412, 'precondition_failed', 'This persona was changed since you loaded it. Reload it, merge your edits and save again.', {
      current_version: row.version,
    });
  }
}

/**
 * Checks what visitors would meet once a persona change is live (a business's answer tests) and
 * throws to refuse it. `candidate` is the persona with its new fields, not saved. It may take a
 * while (a model answers), so it runs before the save's transaction.
 */
export type PersonaPublishGate = (a: { auth: AuthContext; tenantId: string; ip: string }, candidate: PersonaRow) => Promise<void>;

const sameFields = (a: PersonaFields, b: PersonaFields) =>
  a.name === b.name && a.description === b.description && a.tone === b.tone && a.systemPrompt === b.systemPrompt;
const fieldsOfRow = (r: PersonaRow): PersonaFields => ({ name: r.name, description: r.description, tone: r.tone, systemPrompt: r.system_prompt });

export type PersonasService = ReturnType<typeof createPersonasService>;

export function createPersonasService(deps: {
  /** Reads outside a unit of work. */
  repo: PersonasRepo;
  /** Writes: each with its audit record and events in one transaction. */
  uow: UnitOfWork<{ personas: PersonasRepo }>;
  clock: Clock;
  publishGate?: PersonaPublishGate;
}) {
  const { repo, uow, clock } = deps;
  const find = async (tenantId: string, id: string, r: PersonasRepo = repo) => {
    const row = await r.byId(tenantId, id);
    if (!row) throw notFound('Persona');
    return row;
  };
  const record = (audit: Audit, auth: AuthContext, ip: string, tenantId: string, action: string, id: string, before: unknown, after: unknown) =>
    audit({ tenantId, actorId: auth.userId, actorEmail: auth.email, action, targetType: 'persona', targetId: id, before, after, ip });

  /**
   * Changes to the persona visitors meet (the default one) go live only past the publish gate;
   * other personas, and saves that change nothing, are not checked.
   */
  async function gate(auth: AuthContext, ip: string, tenantId: string, row: PersonaRow, next: PersonaFields) {
    if (!deps.publishGate || !row.is_default || sameFields(fieldsOfRow(row), next)) return;
    const candidate: PersonaRow = { ...row, name: next.name, description: next.description, tone: next.tone, system_prompt: next.systemPrompt };
    await deps.publishGate({ auth, tenantId, ip }, candidate);
  }

  /** The fields of `patch` over the persona's published ones. */
  const merged = (row: PersonaRow, patch: Partial<PersonaFields>): PersonaFields => ({
    name: patch.name ?? row.name,
    description: patch.description ?? row.description,
    tone: patch.tone ?? row.tone,
    systemPrompt: patch.systemPrompt ?? row.system_prompt,
  });

  /**
   * Saves `next` as a new version. `publishing`: the draft it comes from, which must still be the
   * persona's draft (it is then cleared with the save).
   */
  function save(auth: AuthContext, ip: string, tenantId: string, row: PersonaRow, next: PersonaFields, action: string, publishing?: string): Promise<Persona> {
    return uow.run(async ({ personas, emit, audit }) => {
      if (publishing !== undefined) {
        if ((await find(tenantId, row.id, personas)).draft !== publishing) {
          throw conflict('persona_draft_changed', 'The draft was changed while its answer tests ran: publish it again');
        }
        await personas.setDraft(tenantId, row.id, null, clock.now().toISOString());
      }
      const saved = await personas.update(
        { tenant_id: tenantId, id: row.id, name: next.name, description: next.description, tone: next.tone, system_prompt: next.systemPrompt, at: clock.now().toISOString(), actor_id: auth.userId },
        row.version,
      );
      if (!saved) throw new HttpError(412, 'precondition_failed', 'This persona was changed by someone else a moment ago. Reload and try again.');
      const after = toPersona(await find(tenantId, row.id, personas));
      record(audit, auth, ip, tenantId, action, row.id, toPersona(row), after);
      emit(tenantId, 'persona.updated', { persona: after });
      return after;
    });
  }

  return {
    find: (tenantId: string, id: string) => find(tenantId, id),
    list: async (tenantId: string) => (await repo.list(tenantId)).map(toPersona),

    create(auth: AuthContext, ip: string, tenantId: string, input: PersonaFields): Promise<Persona> {
      return uow.run(async ({ personas, audit }) => {
        const id = randomUUID();
        const isFirst = (await personas.list(tenantId)).length === 0;
        await personas.insert({ id, tenant_id: tenantId, name: input.name, description: input.description, tone: input.tone, system_prompt: input.systemPrompt, is_default: isFirst, at: clock.now().toISOString(), actor_id: auth.userId });
        const created = toPersona(await find(tenantId, id, personas));
        record(audit, auth, ip, tenantId, 'persona.created', id, null, created);
        return created;
      });
    },

    /** Saves live (a new version); the default persona passes the publish gate first. */
    async update(auth: AuthContext, ip: string, tenantId: string, id: string, patch: Partial<PersonaFields>, ifMatch?: string): Promise<Persona> {
      const row = await find(tenantId, id);
      checkIfMatch(row, ifMatch);
      const next = merged(row, patch);
      await gate(auth, ip, tenantId, row, next);
      return save(auth, ip, tenantId, row, next, 'persona.updated');
    },

    /** Unpublished edits: `patch` over the published fields, kept apart until published. */
    saveDraft(auth: AuthContext, ip: string, tenantId: string, id: string, patch: Partial<PersonaFields>): Promise<Persona> {
      return uow.run(async ({ personas, audit }) => {
        const row = await find(tenantId, id, personas);
        const before = toPersona(row).draft;
        await personas.setDraft(tenantId, id, JSON.stringify(merged(row, patch)), clock.now().toISOString());
        const after = toPersona(await find(tenantId, id, personas));
        record(audit, auth, ip, tenantId, 'persona.draft_saved', id, before, after.draft);
        return after;
      });
    },

    /** Drops the unpublished edits (nothing to drop: nothing happens). */
    discardDraft(auth: AuthContext, ip: string, tenantId: string, id: string): Promise<void> {
      return uow.run(async ({ personas, audit }) => {
        const row = await find(tenantId, id, personas);
        if (!row.draft) return;
        await personas.setDraft(tenantId, id, null, clock.now().toISOString());
        record(audit, auth, ip, tenantId, 'persona.draft_discarded', id, toPersona(row).draft, null);
      });
    },

    /** Makes the draft live through the same save as an edit (a new version, persona.updated) and clears it. */
    async publishDraft(auth: AuthContext, ip: string, tenantId: string, id: string, ifMatch?: string): Promise<Persona> {
      const row = await find(tenantId, id);
      checkIfMatch(row, ifMatch);
      if (!row.draft) throw conflict('no_draft', 'This persona has no draft to publish: save one first');
      const next = JSON.parse(row.draft) as PersonaFields;
      await gate(auth, ip, tenantId, row, next);
      return save(auth, ip, tenantId, row, next, 'persona.published', row.draft);
    },

    async remove(auth: AuthContext, ip: string, tenantId: string, id: string, ifMatch?: string): Promise<void> {
      const row = await find(tenantId, id);
      checkIfMatch(row, ifMatch);
      if (row.is_default) throw conflict('default_persona', 'The default persona cannot be deleted: make another persona the default first');
      await uow.run(async ({ personas, audit }) => {
        await personas.remove(tenantId, id);
        record(audit, auth, ip, tenantId, 'persona.deleted', id, toPersona(row), null);
      });
    },

    async makeDefault(auth: AuthContext, ip: string, tenantId: string, id: string): Promise<Persona> {
      const row = await find(tenantId, id);
      return uow.run(async ({ personas, emit, audit }) => {
        await personas.makeDefault(tenantId, id, clock.now().toISOString());
        const after = toPersona(await find(tenantId, id, personas));
        record(audit, auth, ip, tenantId, 'persona.default_set', id, { is_default: row.is_default === 1 }, { is_default: true });
        emit(tenantId, 'persona.updated', { persona: after });
        return after;
      });
    },

    async versions(tenantId: string, id: string) {
      await find(tenantId, id);
      return (await repo.versions(tenantId, id)).map((v) => ({ version: v.version, ...(JSON.parse(v.snapshot) as PersonaFields), created_at: v.created_at }));
    },

    /** Restoring saves the old content as a new version, so nothing is ever lost. */
    async restore(auth: AuthContext, ip: string, tenantId: string, id: string, version: number): Promise<Persona> {
      const row = await find(tenantId, id);
      const old = await repo.version(tenantId, id, version);
      if (!old) throw notFound('Persona version');
      const next = JSON.parse(old.snapshot) as PersonaFields;
      await gate(auth, ip, tenantId, row, next);
      return save(auth, ip, tenantId, row, next, 'persona.restored');
    },
  };
}
