import { AuditList, AuditQuery } from '../../../shared/schemas/audit';
import { authOf } from '../../http/context';
import { decodeCursor, encodeCursor, pageOf } from '../../http/cursor';
import type { ApiRouter } from '../../http/routes';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import type { AuditRepo } from './audit.repo';

export function registerAuditRoutes(api: ApiRouter, deps: { audit: AuditRepo; tenants: TenantsRepo }) {
  api.add({
    method: 'GET',
    path: '/api/audit',
    tag: 'Audit',
    summary: 'Who changed what and when (logins, personas, keys, pricebook, takeovers…), newest first',
    auth: 'user',
    permission: 'audit.view',
    query: AuditQuery,
    response: AuditList,
    errors: [404],
    async handler(ctx, { query }) {
      const tenant = await tenantOf(deps.tenants, authOf(ctx), query.business_id);
      const rows = await deps.audit.list({
        tenantId: tenant.id,
        action: query.action,
        actorId: query.actor_id,
        targetId: query.target_id,
        from: query.from,
        to: query.to,
        before: decodeCursor(query.cursor),
        limit: query.limit + 1,
      });
      return pageOf(rows, query.limit, (last) => encodeCursor(last.at, last.id));
    },
  });
}
