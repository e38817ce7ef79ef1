import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { listOf, uuid } from '../../../shared/schemas/common';
import { FaqEntry, FaqInput } from '../../../shared/schemas/faq';
import type { Clock } from '../../clock';
import { notFound } from '../../errors';
import { authOf, type AppContext } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import type { AuditRepo } from '../audit/audit.repo';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import type { FaqRepo, FaqRow } from './faq.repo';

const Scope = z.object({ business_id: z.string().max(64).optional().describe('platform admins: another tenant') });
const IdParams = z.object({ id: uuid });
const toEntry = ({ tenant_id: _t, ...e }: FaqRow) => e;

/** The tenant's question/answer pairs that the responder retrieves (SPEC §7). */
export function registerFaqRoutes(api: ApiRouter, deps: { faq: FaqRepo; tenants: TenantsRepo; audit: AuditRepo; clock: Clock }) {
  const { faq, audit, clock } = deps;
  const find = (tenantId: string, id: string) => {
    const row = faq.byId(tenantId, id);
    if (!row) throw notFound('FAQ entry');
    return row;
  };
  const record = (ctx: AppContext, tenantId: string, action: string, id: string, before: unknown, after: unknown) => {
    const a = authOf(ctx);
    audit.record({ tenantId, actorId: a.userId, actorEmail: a.email, action, targetType: 'faq', targetId: id, before, after, ip: ctx.ip });
  };
  const common = { tag: 'FAQ', auth: 'user' as const, permission: 'personas.manage' as const, query: Scope };

  api.add({
    ...common,
    method: 'GET',
    path: '/api/faq',
    summary: 'The tenant\'s FAQ entries',
    response: listOf(FaqEntry),
    handler: (ctx, { query }) => ({ data: faq.forTenant(tenantOf(deps.tenants, authOf(ctx), query.business_id).id).map(toEntry), next_cursor: null }),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/faq',
    summary: 'Add an FAQ entry; Bob uses it from the next message on',
    body: FaqInput,
    status: 201,
    response: FaqEntry,
    handler(ctx, { query, body }) {
      const tenantId = tenantOf(deps.tenants, authOf(ctx), query.business_id).id;
      const id = randomUUID();
      faq.insert({ id, tenant_id: tenantId, ...body, at: clock.now().toISOString() });
      const created = toEntry(find(tenantId, id));
      record(ctx, tenantId, 'faq.created', id, null, created);
      return created;
    },
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
    handler(ctx, { query, params, body }) {
      const tenantId = tenantOf(deps.tenants, authOf(ctx), query.business_id).id;
      const before = toEntry(find(tenantId, params.id));
      faq.update(tenantId, params.id, body.question, body.answer, clock.now().toISOString());
      const after = toEntry(find(tenantId, params.id));
      record(ctx, tenantId, 'faq.updated', params.id, before, after);
      return after;
    },
  });

  api.add({
    ...common,
    method: 'DELETE',
    path: '/api/faq/:id',
    summary: 'Delete an FAQ entry',
    params: IdParams,
    status: 204,
    errors: [404],
    handler(ctx, { query, params }) {
      const tenantId = tenantOf(deps.tenants, authOf(ctx), query.business_id).id;
      const before = toEntry(find(tenantId, params.id));
      faq.remove(tenantId, params.id);
      record(ctx, tenantId, 'faq.deleted', params.id, before, null);
    },
  });
}
