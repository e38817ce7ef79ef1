import { z } from 'zod';
import { listOf, uuid } from '../../../shared/schemas/common';
import { WidgetKey, WidgetKeyCreate, WidgetKeyPatch, WidgetSetup } from '../../../shared/schemas/widget-keys';
import { IdentitySecret } from '../../../shared/schemas/identity';
import { authOf } from '../../http/context';
import { addressKindOf } from '../network/network.settings';
import type { ApiRouter } from '../../http/routes';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import type { WidgetKeysService } from './widget-keys.service';

const Scope = z.object({ business_id: z.string().max(64).optional().describe('platform admins: another tenant') });
const IdParams = z.object({ id: uuid });

export function registerWidgetKeysRoutes(api: ApiRouter, deps: { keys: WidgetKeysService; tenants: TenantsRepo; publicUrl: () => string }) {
  const { keys } = deps;
  const common = { tag: 'Widget keys', auth: 'user' as const, permission: 'widget.manage' as const, query: Scope, errors: [404] };

  api.add({
    ...common,
    method: 'GET',
    path: '/api/widget-keys',
    summary: 'The tenant\'s publishable widget keys',
    response: listOf(WidgetKey),
    handler: async (ctx, { query }) => ({ data: await keys.list((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id), next_cursor: null }),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/widget-keys',
    summary: 'Create a key (live, or test: loopback origins only, no credits) with its origin allowlist',
    body: WidgetKeyCreate,
    status: 201,
    response: WidgetKey,
    handler: async (ctx, { query, body }) => keys.create(authOf(ctx), ctx.ip, (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, body),
  });

  api.add({
    ...common,
    method: 'PATCH',
    path: '/api/widget-keys/:id',
    summary: 'Change the label or the allowed origins (a malformed origin is a 400 naming it)',
    params: IdParams,
    body: WidgetKeyPatch,
    response: WidgetKey,
    errors: [404, 409],
    handler: async (ctx, { query, params, body }) => keys.update(authOf(ctx), ctx.ip, (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id, body),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/widget-keys/:id/rotate',
    summary: 'Issue a replacement key; the old one keeps working for 24 hours',
    params: IdParams,
    status: 201,
    response: WidgetKey,
    errors: [404, 409],
    handler: async (ctx, { query, params }) => keys.rotate(authOf(ctx), ctx.ip, (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/widget-keys/:id/identity-secret',
    summary: 'Generate or rotate the key\'s identity secret (HS256, for Bob.identify tokens): in this response only; tokens signed with the previous one are refused at once',
    params: IdParams,
    status: 201,
    response: WidgetKey.extend(IdentitySecret.shape),
    errors: [404, 409],
    handler: async (ctx, { query, params }) => keys.identitySecret(authOf(ctx), ctx.ip, (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id),
  });

  api.add({
    ...common,
    method: 'DELETE',
    path: '/api/widget-keys/:id',
    summary: 'Revoke a key: it stops working on the next request',
    params: IdParams,
    status: 204,
    async handler(ctx, { query, params }) {
      await keys.revoke(authOf(ctx), ctx.ip, (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id);
    },
  });

  api.add({
    ...common,
    method: 'GET',
    path: '/api/widget/setup',
    summary: 'Widget Setup: the one script tag to paste into the business\'s site (no key in the HTML)',
    response: WidgetSetup,
    async handler(ctx, { query }) {
      const tenant = await tenantOf(deps.tenants, authOf(ctx), query.business_id);
      const publicUrl = deps.publicUrl();
      const scriptUrl = `${publicUrl}/widget/${tenant.id}/widget.js`;
      return { tenant_id: tenant.id, script_url: scriptUrl, snippet: `<script src="${scriptUrl}" async></script>`, public_url_kind: addressKindOf(publicUrl) };
    },
  });
}
