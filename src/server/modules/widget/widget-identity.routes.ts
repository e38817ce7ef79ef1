import { z } from 'zod';
import { WidgetSessionQuery } from '../../../shared/schemas/chat';
import { uuid } from '../../../shared/schemas/common';
import { VisitorProfile, WidgetConversations, WidgetIdentified, WidgetIdentifyRequest, WidgetVisitorRequest } from '../../../shared/schemas/identity';
import type { Clock } from '../../clock';
import { notFound } from '../../errors';
import { authOf, widgetOf } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import type { ChatRepo } from '../chat/chat.repo';
import type { IdentityService } from '../identity/identity.service';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import type { WidgetKeysRepo } from '../widget-keys/widget-keys.repo';
import { addWidgetPreflights, createWidgetGuard } from './widget.guard';

/** The site's JavaScript API (issue #23): Bob.setVisitor, Bob.identify, a verified visitor's conversations; and who the visitor is, for staff. */
export function registerWidgetIdentityRoutes(api: ApiRouter, deps: { identity: IdentityService; keys: WidgetKeysRepo; chat: ChatRepo; tenants: TenantsRepo; clock: Clock }) {
  const guard = createWidgetGuard(deps.keys, deps.clock);
  const rules = 'Same key and origin rules as `POST /api/widget/chat`.';

  addWidgetPreflights(api, deps.keys, ['/api/widget/visitor', '/api/widget/identify', '/api/widget/conversations']);

  api.add({
    method: 'POST',
    path: '/api/widget/visitor',
    tag: 'Widget',
    summary: 'Bob.setVisitor: the site\'s name, email and attributes for its visitor, stored UNVERIFIED (shown so in Mission Control)',
    description: `${rules} Fields left out are kept; attributes merge (null removes one). Over ${20} attributes → 400 \`too_many_attributes\`.`,
    auth: 'widget',
    before: guard,
    body: WidgetVisitorRequest,
    response: z.object({ session_id: z.string(), verified: z.literal(false) }),
    errors: [400, 401, 403],
    handler: async (ctx, { body }) => {
      const { session_id, ...input } = body;
      return deps.identity.setVisitor(widgetOf(ctx).tenantId, session_id, input);
    },
  });

  api.add({
    method: 'POST',
    path: '/api/widget/identify',
    tag: 'Widget',
    summary: 'Bob.identify: a JWT signed by the site\'s server (HS256, the key\'s identity secret) links the conversation to a verified visitor',
    description:
      `${rules} The token needs \`sub\` and an \`exp\` in the future; \`name\` and \`email\` are optional. Forged, expired, wrongly signed or \`alg: none\` → 401 \`invalid_identity\`; ` +
      'no identity secret on the key → 409 `identity_not_configured`. The answer\'s `session_id` is the conversation to continue: the identity\'s latest open one (another device), else the one sent.',
    auth: 'widget',
    before: guard,
    body: WidgetIdentifyRequest,
    response: WidgetIdentified,
    errors: [401, 403, 409],
    handler: async (ctx, { body }) => deps.identity.identify(widgetOf(ctx), body.session_id, body.token),
  });

  api.add({
    method: 'GET',
    path: '/api/widget/conversations',
    tag: 'Widget',
    summary: 'A verified visitor\'s conversations on any device (newest first)',
    description: `${rules} The session must be verified through \`POST /api/widget/identify\` (403 \`identity_required\` otherwise).`,
    auth: 'widget',
    before: guard,
    query: WidgetSessionQuery,
    response: WidgetConversations,
    errors: [401, 403],
    handler: async (ctx, { query }) => {
      ctx.set('Cache-Control', 'no-store');
      return deps.identity.conversations(widgetOf(ctx).tenantId, query.session_id);
    },
  });

  api.add({
    method: 'GET',
    path: '/api/chat/sessions/:id/visitor',
    tag: 'Chat',
    summary: 'Who the visitor of a conversation is: what the site said (unverified) and the identity a signed token proved (verified)',
    auth: 'user',
    permission: 'chat.view',
    params: z.object({ id: uuid }),
    response: VisitorProfile,
    errors: [404],
    handler: async (ctx, { params }) => {
      // As the conversation's own routes: found by id in the caller's business (platform admins: any).
      const auth = authOf(ctx);
      const tenant = await tenantOf(deps.tenants, auth, undefined);
      const s = (await deps.chat.find(tenant.id, params.id)) ?? (auth.role === 'admin' ? await deps.chat.findAnyById(params.id) : undefined);
      if (!s) throw notFound('Session');
      return deps.identity.profileOf(s.tenant_id, s.external_id);
    },
  });
}
