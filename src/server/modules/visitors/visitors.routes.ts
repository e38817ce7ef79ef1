import { VisitorErasure, VisitorExport, VisitorExportQuery, VisitorParams, VisitorScopeQuery, VisitorSearchQuery, VisitorSearchResult, WidgetEraseRequest } from '../../../shared/schemas/visitors';
import type { Clock } from '../../clock';
import { authOf, widgetOf } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import { createWidgetGuard, addWidgetPreflights } from '../widget/widget.guard';
import type { WidgetKeysRepo } from '../widget-keys/widget-keys.repo';
import type { VisitorsService } from './visitors.service';

/** The widget's own erasure path (the visitor deletes their conversation). */
export const WIDGET_ERASE_PATH = '/api/widget/session/erase';

export function registerVisitorsRoutes(api: ApiRouter, deps: { visitors: VisitorsService; tenants: TenantsRepo; keys: WidgetKeysRepo; clock: Clock }) {
  const { visitors, tenants } = deps;
  const common = { tag: 'Visitors', auth: 'user' as const, permission: 'privacy.manage' as const };

  api.add({
    ...common,
    method: 'GET',
    path: '/api/visitors',
    summary: 'Find a visitor\'s conversations by session id, an email they wrote in the chat, or their name',
    description: 'Session id: exact. Email: an address the visitor wrote, matched exactly (ignoring case). Name: the visitor\'s name, ignoring case. At most 50 per way of matching.',
    query: VisitorSearchQuery,
    response: VisitorSearchResult,
    errors: [404],
    handler: async (ctx, { query }) => ({ data: await visitors.find((await tenantOf(tenants, authOf(ctx), query.business_id)).id, query.q) }),
  });

  api.add({
    ...common,
    method: 'GET',
    path: '/api/visitors/:id/export',
    summary: 'Everything Bob holds about a visitor, as a JSON download (`:id` = the chat API\'s session_id)',
    description: 'The conversation, its messages (staff notes only with `notes=1`), unanswered questions, consent records and attachments. Another tenant\'s session id is a 404.',
    params: VisitorParams,
    query: VisitorExportQuery,
    response: VisitorExport,
    errors: [404],
    async handler(ctx, { params, query }) {
      const tenant = await tenantOf(tenants, authOf(ctx), query.business_id);
      const data = await visitors.export(tenant, params.id, query.notes === '1');
      const name = params.id.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80);
      ctx.set('Content-Disposition', `attachment; filename="bob-visitor-${name}.json"`);
      ctx.set('Cache-Control', 'no-store');
      return data;
    },
  });

  api.add({
    ...common,
    method: 'DELETE',
    path: '/api/visitors/:id',
    summary: 'Erase a visitor: their conversation, messages and personal fields; events and webhook bodies kept as "redacted"',
    description:
      'One transaction. The audit log records who, when and how many items, never the content; webhooks subscribed to `visitor.erased` get `{session_id, counts}`.',
    params: VisitorParams,
    query: VisitorScopeQuery,
    response: VisitorErasure,
    errors: [404],
    async handler(ctx, { params, query }) {
      const auth = authOf(ctx);
      const tenant = await tenantOf(tenants, auth, query.business_id);
      return visitors.erase({ by: 'staff', auth, ip: ctx.ip }, tenant.id, params.id);
    },
  });

  addWidgetPreflights(api, deps.keys, [WIDGET_ERASE_PATH]);

  api.add({
    method: 'POST',
    path: WIDGET_ERASE_PATH,
    tag: 'Widget',
    summary: 'The visitor deletes their own conversation ("Delete this conversation" in the widget)',
    description: 'Same key and origin rules as `POST /api/widget/chat`. Erases the session as `DELETE /api/visitors/:id` does.',
    auth: 'widget',
    before: createWidgetGuard(deps.keys, deps.clock),
    body: WidgetEraseRequest,
    response: VisitorErasure,
    errors: [401, 403, 404],
    handler: async (ctx, { body }) => visitors.erase({ by: 'visitor', ip: ctx.ip }, widgetOf(ctx).tenantId, body.session_id),
  });
}
