import { z } from 'zod';
import {
  CallbackIdParams,
  CallbackList,
  CallbackListQuery,
  CallbackReplied,
  CallbackReply,
  EmailSettings,
  EmailSettingsPut,
  EmailTestRequest,
  EmailTestResult,
  WidgetCallbackCreated,
  WidgetCallbackRequest,
} from '../../../shared/schemas/callbacks';
import type { Clock } from '../../clock';
import { notFound } from '../../errors';
import { authOf, widgetOf } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import { createWidgetGuard, addWidgetPreflights } from '../widget/widget.guard';
import type { WidgetKeysRepo } from '../widget-keys/widget-keys.repo';
import type { CallbacksService } from './callbacks.service';

const Scope = z.object({ business_id: z.string().max(64).optional().describe('platform admins: another business') });

export function registerCallbacksRoutes(api: ApiRouter, deps: { callbacks: CallbacksService; tenants: TenantsRepo; keys: WidgetKeysRepo; clock: Clock }) {
  const { callbacks, tenants } = deps;
  const guard = createWidgetGuard(deps.keys, deps.clock);

  addWidgetPreflights(api, deps.keys, ['/api/widget/callback']);

  api.add({
    method: 'POST',
    path: '/api/widget/callback',
    tag: 'Widget',
    summary: 'When nobody is there: the visitor leaves an email or phone and a message, to be answered later',
    description:
      'Same key and origin rules as `POST /api/widget/chat`. The message is added to the conversation (created if needed) and the request queued in Live → Requests; ' +
      'announced as `callback.requested` (without the contact details). At most 3 per conversation in 10 minutes (429).',
    auth: 'widget',
    before: guard,
    body: WidgetCallbackRequest,
    response: WidgetCallbackCreated,
    errors: [401, 403, 429],
    async handler(ctx, { body }) {
      const w = widgetOf(ctx);
      const tenant = await tenants.byId(w.tenantId);
      if (!tenant) throw notFound('Business');
      return callbacks.request(tenant, body, { origin: w.origin, keyMode: w.mode, ip: ctx.ip });
    },
  });

  api.add({
    method: 'GET',
    path: '/api/callbacks',
    tag: 'Requests',
    summary: 'Requests to be answered later (Live → Requests): open ones oldest first, answered ones newest first',
    auth: 'user',
    permission: 'chat.view',
    query: CallbackListQuery,
    response: CallbackList,
    errors: [404],
    handler: async (ctx, { query }) => ({ items: await callbacks.list(await tenantOf(tenants, authOf(ctx), query.business_id), query.status) }),
  });

  api.add({
    method: 'POST',
    path: '/api/callbacks/:id/reply',
    tag: 'Requests',
    summary: 'Answer a request: sent by email (when the visitor left an address and Settings → Email is set), then stored as a person\'s message in the conversation',
    description: 'An SMTP failure → 502 `email_failed` with the server\'s error, and nothing is stored (try again). Already answered → 409 `already_answered`. Emits `callback.answered`.',
    auth: 'user',
    permission: 'chat.manage',
    params: CallbackIdParams,
    query: Scope,
    body: CallbackReply,
    response: CallbackReplied,
    errors: [404, 409, 502],
    handler: async (ctx, { params, query, body }) => {
      const auth = authOf(ctx);
      return callbacks.reply(auth, await tenantOf(tenants, auth, query.business_id), params.id, body.message, ctx.ip);
    },
  });

  api.add({
    method: 'GET',
    path: '/api/settings/email',
    tag: 'Requests',
    summary: 'Settings → Email: the business\'s SMTP server for replies (the password is never returned, only `password_set`)',
    auth: 'user',
    permission: 'widget.manage',
    query: Scope,
    response: EmailSettings,
    errors: [404],
    handler: async (ctx, { query }) => callbacks.emailSettings(await tenantOf(tenants, authOf(ctx), query.business_id)),
  });

  api.add({
    method: 'PUT',
    path: '/api/settings/email',
    tag: 'Requests',
    summary: 'Save the business\'s SMTP settings (omit `password` to keep the stored one); audited without the password',
    description: 'The host must be a public address (a name is resolved and checked, and again before every connection): loopback, private and link-local hosts → 400 unless the server runs with BOB_ALLOW_PRIVATE_SMTP=1.',
    auth: 'user',
    permission: 'widget.manage',
    query: Scope,
    body: EmailSettingsPut,
    response: EmailSettings,
    errors: [400, 404],
    handler: async (ctx, { query, body }) => {
      const auth = authOf(ctx);
      return callbacks.saveEmailSettings(auth, await tenantOf(tenants, auth, query.business_id), body, ctx.ip);
    },
  });

  api.add({
    method: 'POST',
    path: '/api/settings/email/test',
    tag: 'Requests',
    summary: 'Send a test email with the saved settings: `{ok: true}`, or `{ok: false, error}` with the SMTP server\'s error',
    auth: 'user',
    permission: 'widget.manage',
    query: Scope,
    body: EmailTestRequest,
    response: EmailTestResult,
    errors: [404, 409],
    handler: async (ctx, { query, body }) => callbacks.testEmail(await tenantOf(tenants, authOf(ctx), query.business_id), body.to),
  });
}
