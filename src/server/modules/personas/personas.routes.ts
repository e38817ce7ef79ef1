import { z } from 'zod';
import { listOf, uuid } from '../../../shared/schemas/common';
import { Persona, PersonaExport, PersonaInput, PersonaPatch, PersonaVersion } from '../../../shared/schemas/personas';
import { authOf, type AppContext } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import { etagOf, toPersona, type PersonasService } from './personas.service';

const Scope = z.object({ business_id: z.string().max(64).optional().describe('platform admins: another tenant') });
const IdParams = z.object({ id: uuid });
const GATE =
  'With the business setting `block_publish_on_failed_tests`, a change to the default persona first runs every answer test against it ' +
  '(the run is stored, trigger `persona_publish`); if one fails: 409 `answer_tests_failed` with `error.details` `{run_id, failing}` and nothing changes.';
const VersionParams = z.object({ id: uuid, version: z.coerce.number().int().positive() });

export function registerPersonasRoutes(api: ApiRouter, deps: { personas: PersonasService; tenants: TenantsRepo }) {
  const { personas } = deps;
  const withEtag = (ctx: AppContext, p: Persona) => {
    ctx.set('ETag', etagOf(p));
    return p;
  };
  const common = { tag: 'Personas', auth: 'user' as const, permission: 'personas.manage' as const, query: Scope };

  api.add({
    ...common,
    method: 'GET',
    path: '/api/personas',
    summary: 'The tenant\'s personas, default first',
    response: listOf(Persona),
    handler: async (ctx, { query }) => ({ data: await personas.list((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id), next_cursor: null }),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/personas',
    summary: 'Create a persona { name, description, tone, systemPrompt }',
    body: PersonaInput,
    status: 201,
    response: Persona,
    handler: async (ctx, { query, body }) => withEtag(ctx, await personas.create(authOf(ctx), ctx.ip, (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, body)),
  });

  api.add({
    ...common,
    method: 'GET',
    path: '/api/personas/export',
    summary: 'Export every persona as JSON (for import elsewhere)',
    response: PersonaExport,
    async handler(ctx, { query }) {
      const list = await personas.list((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id);
      ctx.set('Content-Disposition', 'attachment; filename="bob-personas.json"');
      return { format: 'bob.personas.v1' as const, personas: list.map(({ name, description, tone, systemPrompt }) => ({ name, description, tone, systemPrompt })) };
    },
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/personas/import',
    summary: 'Import personas from an export (added as new, never replacing the default)',
    body: PersonaExport,
    status: 201,
    response: listOf(Persona),
    async handler(ctx, { query, body }) {
      const tid = (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id;
      // One after the other, as before: each import is its own persona, in the export's order.
      const data = [];
      for (const p of body.personas) data.push(await personas.create(authOf(ctx), ctx.ip, tid, p));
      return { data, next_cursor: null };
    },
  });

  api.add({
    ...common,
    method: 'GET',
    path: '/api/personas/:id',
    summary: 'One persona, with its ETag',
    params: IdParams,
    response: Persona,
    errors: [404],
    handler: async (ctx, { query, params }) => withEtag(ctx, toPersona(await personas.find((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id))),
  });

  for (const method of ['PUT', 'PATCH'] as const) {
    api.add({
      ...common,
      method,
      path: '/api/personas/:id',
      summary: method === 'PUT' ? 'Replace a persona, live (send If-Match: <ETag>; a stale one → 412)' : 'Change some fields, live (send If-Match: <ETag>; a stale one → 412)',
      description: GATE,
      params: IdParams,
      body: method === 'PUT' ? PersonaInput : PersonaPatch,
      response: Persona,
      errors: [404, 409, 412],
      handler: async (ctx, { query, params, body }) =>
        withEtag(ctx, await personas.update(authOf(ctx), ctx.ip, (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id, body, ctx.get('If-Match') || undefined)),
    });
  }

  api.add({
    ...common,
    method: 'PUT',
    path: '/api/personas/:id/draft',
    summary: 'Save unpublished edits: the fields sent over the published ones; visitors meet them once published',
    params: IdParams,
    body: PersonaPatch,
    response: Persona,
    errors: [404],
    handler: async (ctx, { query, params, body }) => withEtag(ctx, await personas.saveDraft(authOf(ctx), ctx.ip, (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id, body)),
  });

  api.add({
    ...common,
    method: 'DELETE',
    path: '/api/personas/:id/draft',
    summary: 'Discard the unpublished edits',
    params: IdParams,
    status: 204,
    errors: [404],
    async handler(ctx, { query, params }) {
      await personas.discardDraft(authOf(ctx), ctx.ip, (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id);
    },
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/personas/:id/publish',
    summary: 'Publish the draft: saved as a new version, persona.updated is sent and the draft is cleared (no draft: 409 no_draft)',
    description: `Send If-Match: <ETag> to publish only over the version you loaded (a stale one → 412). ${GATE}`,
    params: IdParams,
    response: Persona,
    errors: [404, 409, 412],
    handler: async (ctx, { query, params }) =>
      withEtag(ctx, await personas.publishDraft(authOf(ctx), ctx.ip, (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id, ctx.get('If-Match') || undefined)),
  });

  api.add({
    ...common,
    method: 'DELETE',
    path: '/api/personas/:id',
    summary: 'Delete a persona (not the default: 409)',
    params: IdParams,
    status: 204,
    errors: [404, 409, 412],
    async handler(ctx, { query, params }) {
      await personas.remove(authOf(ctx), ctx.ip, (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id, ctx.get('If-Match') || undefined);
    },
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/personas/:id/default',
    summary: 'Make this the default persona (the one visitors meet)',
    params: IdParams,
    response: Persona,
    errors: [404],
    handler: async (ctx, { query, params }) => withEtag(ctx, await personas.makeDefault(authOf(ctx), ctx.ip, (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id)),
  });

  api.add({
    ...common,
    method: 'GET',
    path: '/api/personas/:id/versions',
    summary: 'Every saved version, newest first',
    params: IdParams,
    response: z.object({ data: z.array(PersonaVersion), next_cursor: z.null() }),
    errors: [404],
    handler: async (ctx, { query, params }) => ({ data: await personas.versions((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id), next_cursor: null }),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/personas/:id/versions/:version/restore',
    summary: 'Restore an earlier version (saved as a new version)',
    description: GATE,
    params: VersionParams,
    response: Persona,
    errors: [404, 409],
    handler: async (ctx, { query, params }) => withEtag(ctx, await personas.restore(authOf(ctx), ctx.ip, (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id, params.version)),
  });
}
