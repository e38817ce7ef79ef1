import { SessionIdParams } from '../../../shared/schemas/chat';
import { Rating, SessionRating, WidgetRatingRequest } from '../../../shared/schemas/csat';
import type { Clock } from '../../clock';
import { notFound } from '../../errors';
import { authOf, widgetOf } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import type { ChatRepo } from '../chat/chat.repo';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import type { WidgetKeysRepo } from '../widget-keys/widget-keys.repo';
import { createWidgetGuard, addWidgetPreflights } from '../widget/widget.guard';
import type { CsatService } from './csat.service';

/** The rating (issue #23): the visitor's POST from the widget, staff's read in Live and History. */
export function registerCsatRoutes(api: ApiRouter, deps: { csat: CsatService; chats: ChatRepo; tenants: TenantsRepo; keys: WidgetKeysRepo; clock: Clock }) {
  addWidgetPreflights(api, deps.keys, ['/api/widget/rating']);

  api.add({
    method: 'POST',
    path: '/api/widget/rating',
    tag: 'Widget',
    summary: 'The visitor rates a closed conversation (1–5, optional comment), once',
    description:
      'Same key and origin rules as `POST /api/widget/chat`. 404 when the conversation is unknown; 409 `conversation_open` while it is not closed; ' +
      '409 `already_rated` for a second rating. Announced as `csat.submitted`.',
    auth: 'widget',
    before: createWidgetGuard(deps.keys, deps.clock),
    body: WidgetRatingRequest,
    status: 201,
    response: Rating,
    errors: [401, 403, 404, 409],
    handler: async (ctx, { body }) => deps.csat.submit(widgetOf(ctx).tenantId, body.session_id, body.score, body.comment),
  });

  api.add({
    method: 'GET',
    path: '/api/chat/sessions/:id/rating',
    tag: 'Chat',
    summary: 'The visitor\'s rating of a conversation (null when not rated)',
    auth: 'user',
    permission: 'chat.view',
    params: SessionIdParams,
    response: SessionRating,
    errors: [404],
    async handler(ctx, { params }) {
      const auth = authOf(ctx);
      const tenant = await tenantOf(deps.tenants, auth, undefined);
      const s = (await deps.chats.find(tenant.id, params.id)) ?? (auth.role === 'admin' ? await deps.chats.findAnyById(params.id) : undefined);
      if (!s) throw notFound('Session');
      return { rating: await deps.csat.of(s.tenant_id, s.id) };
    },
  });
}
