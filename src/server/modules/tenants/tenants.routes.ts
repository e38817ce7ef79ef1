import { listOf, paginationQuery } from '../../../shared/schemas/common';
import { Tenant } from '../../../shared/schemas/tenants';
import type { ApiRouter } from '../../http/routes';
import { toTenant, type TenantsRepo } from './tenants.repo';

export function registerTenantsRoutes(api: ApiRouter, repo: TenantsRepo) {
  api.add({
    method: 'GET',
    path: '/api/tenants',
    tag: 'Tenants',
    summary: 'All tenants (platform admins only)',
    auth: 'user',
    permission: 'tenants.manage',
    query: paginationQuery,
    response: listOf(Tenant),
    handler(_ctx, { query }) {
      const rows = repo.page(query.cursor ?? '', query.limit + 1);
      const more = rows.length > query.limit;
      const data = rows.slice(0, query.limit).map(toTenant);
      return { data, next_cursor: more ? data[data.length - 1]!.slug : null };
    },
  });
}
