import { z } from 'zod';
import { listOf, paginationQuery } from '../../../shared/schemas/common';
import { Tenant, TenantCreate, TenantCreated, TenantIdParams, TenantListItem, TenantPatch, TenantPlanPatch } from '../../../shared/schemas/tenants';
import { authOf } from '../../http/context';
import { pageOf } from '../../http/cursor';
import type { ApiRouter } from '../../http/routes';
import { tenantOf } from './tenant-scope';
import { toTenant, type TenantsRepo } from './tenants.repo';
import type { TenantsService } from './tenants.service';

const Scope = z.object({ business_id: z.string().max(64).optional().describe('platform admins: another tenant') });

export function registerTenantsRoutes(api: ApiRouter, deps: { repo: TenantsRepo; tenants: TenantsService }) {
  const { repo } = deps;
  api.add({
    method: 'GET',
    path: '/api/tenants',
    tag: 'Tenants',
    summary: 'All tenants (platform admins only), by slug: owner, plan and this month\'s conversations and AI credits',
    auth: 'user',
    permission: 'tenants.manage',
    query: paginationQuery,
    response: listOf(TenantListItem),
    async handler(_ctx, { query }) {
      return pageOf(await deps.tenants.list(query.cursor ?? '', query.limit + 1), query.limit, (last) => last.slug);
    },
  });

  api.add({
    method: 'PATCH',
    path: '/api/tenants/:id',
    tag: 'Tenants',
    summary: 'Move a business to another plan of the published pricebook (platform admins only; audited as tenant.updated)',
    auth: 'user',
    permission: 'tenants.manage',
    params: TenantIdParams,
    body: TenantPlanPatch,
    response: Tenant,
    errors: [404],
    handler: (ctx, { params, body }) => deps.tenants.changePlan(authOf(ctx), ctx.ip, params.id, body.plan_id),
  });

  api.add({
    method: 'POST',
    path: '/api/tenants',
    tag: 'Tenants',
    summary: 'Create a business: tenant, owner (invite link without a password), default persona, live widget key',
    auth: 'user',
    permission: 'tenants.manage',
    body: TenantCreate,
    status: 201,
    response: TenantCreated,
    errors: [409],
    handler: (ctx, { body }) => deps.tenants.create(authOf(ctx), ctx.ip, body),
  });

  api.add({
    method: 'GET',
    path: '/api/tenant',
    tag: 'Tenants',
    summary: 'The caller\'s business: plan and settings (greeting, languages, office hours, colour, onboarding)',
    auth: 'user',
    query: Scope,
    response: Tenant,
    errors: [404],
    handler: (ctx, { query }) => toTenant(tenantOf(repo, authOf(ctx), query.business_id)),
  });

  api.add({
    method: 'PATCH',
    path: '/api/tenant',
    tag: 'Tenants',
    summary: 'Change the business\'s name or settings (the plan: platform admins only)',
    auth: 'user',
    permission: 'widget.manage',
    query: Scope,
    body: TenantPatch,
    response: Tenant,
    errors: [404],
    handler: (ctx, { query, body }) => deps.tenants.update(authOf(ctx), ctx.ip, tenantOf(repo, authOf(ctx), query.business_id), body),
  });
}
