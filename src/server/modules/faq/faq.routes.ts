import { z } from 'zod';
import { listOf, uuid } from '../../../shared/schemas/common';
import { FaqEntry, FaqInput } from '../../../shared/schemas/faq';
import { authOf, type AppContext } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import type { FaqActor, FaqService } from './faq.service';

const Scope = z.object({ business_id: z.string().max(64).optional().describe('platform admins: another tenant') });
const IdParams = z.object({ id: uuid });

/** The tenant's question/answer pairs that the responder retrieves (SPEC §7). */
export function registerFaqRoutes(api: ApiRouter, deps: { faq: FaqService; tenants: TenantsRepo }) {
  const { faq } = deps;
  const actor = async (ctx: AppContext, query: { business_id?: string }): Promise<FaqActor> => ({ tenantId: (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, auth: authOf(ctx), ip: ctx.ip });
  const common = { tag: 'FAQ', auth: 'user' as const, permission: 'personas.manage' as const, query: Scope };

  api.add({
    ...common,
    method: 'GET',
    path: '/api/faq',
    summary: 'The tenant\'s FAQ entries',
    response: listOf(FaqEntry),
    handler: async (ctx, { query }) => ({ data: await faq.list((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id), next_cursor: null }),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/faq',
    summary: 'Add an FAQ entry; Bob uses it from the next message on',
    body: FaqInput,
    status: 201,
    response: FaqEntry,
    handler: async (ctx, { query, body }) => faq.create(await actor(ctx, query), body),
  });

  api.add({
    ...common,
    method: 'PUT',
    path: '/api/faq/:id',
    summary: 'Edit an FAQ entry',
    params: IdParams,
    body: FaqInput,
    response: FaqEntry,
    errors: [404],
    handler: async (ctx, { query, params, body }) => faq.update(await actor(ctx, query), params.id, body),
  });

  api.add({
    ...common,
    method: 'DELETE',
    path: '/api/faq/:id',
    summary: 'Delete an FAQ entry',
    params: IdParams,
    status: 204,
    errors: [404],
    handler: async (ctx, { query, params }) => faq.remove(await actor(ctx, query), params.id),
  });
}
