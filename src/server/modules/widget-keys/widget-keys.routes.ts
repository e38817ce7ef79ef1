import { z } from 'zod';
import { listOf } from '../../../shared/schemas/common';
import { WidgetKey } from '../../../shared/schemas/widget-keys';
import { authOf } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import { scopeTenant } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import type { WidgetKeyRow, WidgetKeysRepo } from './widget-keys.repo';

export const toWidgetKey = (r: WidgetKeyRow): WidgetKey => ({
  id: r.id,
  key: r.key,
  label: r.label,
  mode: r.mode,
  allowed_origins: JSON.parse(r.allowed_origins) as string[],
  status: r.status,
  created_at: r.created_at,
  last_used_at: r.last_used_at,
});

export function registerWidgetKeysRoutes(api: ApiRouter, deps: { keys: WidgetKeysRepo; tenants: TenantsRepo }) {
  api.add({
    method: 'GET',
    path: '/api/widget-keys',
    tag: 'Widget keys',
    summary: 'The tenant\'s publishable widget keys (platform admins: business_id for another tenant)',
    auth: 'user',
    permission: 'widget.manage',
    query: z.object({ business_id: z.string().max(64).optional() }),
    response: listOf(WidgetKey),
    errors: [404],
    handler(ctx, { query }) {
      const tenant = scopeTenant(deps.tenants, authOf(ctx), query.business_id);
      return { data: deps.keys.forTenant(tenant.id).map(toWidgetKey), next_cursor: null };
    },
  });
}
