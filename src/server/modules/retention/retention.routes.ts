import { z } from 'zod';
import { RetentionPlatform, RetentionPolicy, RetentionRunResult } from '../../../shared/schemas/retention';
import { authOf } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import type { RetentionService } from './retention.service';

const Scope = z.object({ business_id: z.string().max(64).optional().describe('platform admins: another business') });

export function registerRetentionRoutes(api: ApiRouter, deps: { retention: RetentionService; tenants: TenantsRepo }) {
  const { retention } = deps;

  api.add({
    method: 'GET',
    path: '/api/retention',
    tag: 'Retention',
    summary: 'The business\'s retention as applied: its own setting (settings.retention_days, set with PATCH /api/tenant), the platform\'s maximum, the effective number of days, and conversations removed this month',
    auth: 'user',
    query: Scope,
    response: RetentionPolicy,
    errors: [404],
    handler: async (ctx, { query }) => retention.policy(await tenantOf(deps.tenants, authOf(ctx), query.business_id)),
  });

  api.add({
    method: 'GET',
    path: '/api/settings/retention',
    tag: 'Retention',
    summary: 'The platform\'s maximum retention (platform admins only)',
    auth: 'user',
    permission: 'tenants.manage',
    response: RetentionPlatform,
    handler: async () => ({ max_days: await retention.platformMax() }),
  });

  api.add({
    method: 'PUT',
    path: '/api/settings/retention',
    tag: 'Retention',
    summary: 'Set the platform\'s maximum retention: no business keeps conversations longer (null: no maximum; platform admins only; audited as settings.retention_updated)',
    auth: 'user',
    permission: 'tenants.manage',
    body: RetentionPlatform,
    response: RetentionPlatform,
    handler: (ctx, { body }) => retention.setPlatformMax(authOf(ctx), ctx.ip, body.max_days),
  });

  api.add({
    method: 'POST',
    path: '/api/retention/run',
    tag: 'Retention',
    summary: 'Apply every business\'s retention now (the job also runs hourly); answers what was removed (platform admins only)',
    auth: 'user',
    permission: 'tenants.manage',
    response: RetentionRunResult,
    handler: () => retention.run(),
  });
}
