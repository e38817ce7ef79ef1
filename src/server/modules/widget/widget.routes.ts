import { CHAT_BODY_LIMIT, ChatReply, type ChatMessage, SeenReceipt, WidgetChatRequest, WidgetConfig, WidgetHistory, WidgetSeenRequest, WidgetSessionQuery, WidgetTypingRequest } from '../../../shared/schemas/chat';
import type { TypingSignals } from '../realtime/typing';
import type { Clock } from '../../clock';
import { HttpError, notFound } from '../../errors';
import { widgetOf } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import { toMessage, type ChatRepo } from '../chat/chat.repo';
import { REPLY_STREAM_EVENTS, streamReply } from '../chat/chat-stream';
import type { ChatService } from '../chat/chat.service';
import type { IdentityService } from '../identity/identity.service';
import type { PersonasRepo } from '../personas/personas.repo';
import { settingsOf, type TenantsRepo } from '../tenants/tenants.repo';
import type { WidgetKeysRepo } from '../widget-keys/widget-keys.repo';
import { ConsentAccepted, WidgetConsentRequest } from '../../../shared/schemas/consent';
import { consentOf, type ConsentService } from '../consent/consent.service';
import { z } from 'zod';
import { addWidgetPreflights, createWidgetGuard } from './widget.guard';

// The widget's cross-origin paths, for their preflight (the live stream itself is the realtime module's).
const WIDGET_PATHS = ['/api/widget/chat', '/api/widget/consent', '/api/widget/config', '/api/widget/history', '/api/widget/stream', '/api/widget/typing', '/api/widget/seen'];

/** The notice in the page's language, else the other one's. */
function widgetConsent(tenant: Parameters<typeof consentOf>[0], language: 'en' | 'it') {
  const c = consentOf(tenant);
  const other = language === 'en' ? 'it' : 'en';
  return { required: c.required, notice: c.notice[language] || c.notice[other], policy_url: c.policyUrl, version: c.version };
}

export function registerWidgetRoutes(
  api: ApiRouter,
  deps: {
    chat: ChatService;
    consent: ConsentService;
    identity?: IdentityService;
    repo: ChatRepo;
    tenants: TenantsRepo;
    personas: PersonasRepo;
    keys: WidgetKeysRepo;
    clock: Clock;
    isOnline: (tenantId: string) => Promise<boolean>;
    /** Signs the links of a message's files for the visitor (issue #23). */
    visitorLinks?: <M extends { attachments?: ChatMessage['attachments'] }>(m: M) => M;
    /** Issue #23: whether anyone can answer now (opening hours; this conversation's handoff). */
    availability: (tenant: Awaited<ReturnType<TenantsRepo['byId']>> & object, externalId?: string) => Promise<{ available: boolean; reason?: 'closed' | 'no_one' }>;
    /** Issue #23: whether the visitor already rated this conversation (internal id). */
    rated: (tenantId: string, sessionId: string) => Promise<boolean>;
    typing: TypingSignals;
  },
) {
  const guard = createWidgetGuard(deps.keys, deps.clock);
  // The tenant of the request's widget key (the key names it; no business_id on this path).
  const keyTenant = async (id: string) => {
    const t = await deps.tenants.byId(id);
    if (!t) throw notFound('Business');
    return t;
  };

  addWidgetPreflights(api, deps.keys, WIDGET_PATHS);

  api.add({
    method: 'POST',
    path: '/api/widget/chat',
    tag: 'Widget',
    summary: 'Chat from a customer\'s site (cross-origin embed)',
    description:
      'Needs `X-Widget-Key` and an `Origin` on that key\'s allowlist. Allowed → `Access-Control-Allow-Origin: <origin>` and `Vary: Origin`. ' +
      'Missing/unknown/revoked key → 401 `invalid_widget_key`; origin absent, `null` or not allowed → 403 `origin_not_allowed` without CORS headers.',
    auth: 'widget',
    before: guard,
    body: WidgetChatRequest,
    bodyLimit: CHAT_BODY_LIMIT,
    response: ChatReply,
    errors: [401, 403, 429],
    produces: 'text/event-stream',
    events: REPLY_STREAM_EVENTS,
    async handler(ctx, { body }) {
      const w = widgetOf(ctx);
      // A key with identity_required: 403 identity_required until Bob.identify verified the visitor.
      await deps.identity?.check(w, body.session_id);
      const tenant = await keyTenant(w.tenantId);
      const answer = (onToken?: (text: string) => void) =>
        deps.chat.visitorMessage(tenant, body.session_id, body.message, { channel: 'widget', origin: w.origin, keyMode: w.mode, ip: ctx.ip }, body.language, { onToken });
      return body.stream ? streamReply(ctx, answer) : answer();
    },
  });

  api.add({
    method: 'POST',
    path: '/api/widget/consent',
    tag: 'Widget',
    summary: 'The visitor accepts the business\'s privacy notice (cross-origin embed), before POST /api/widget/chat',
    description:
      'Same key and origin rules as `POST /api/widget/chat`. Records the acceptance of the business\'s current notice version for `session_id`, with its time ' +
      'and a salted hash of the address (never the address); accepting the same version again changes nothing.',
    auth: 'widget',
    before: guard,
    body: WidgetConsentRequest,
    response: ConsentAccepted,
    errors: [401, 403],
    async handler(ctx, { body }) {
      return deps.consent.accept(await keyTenant(widgetOf(ctx).tenantId), body.session_id, ctx.ip);
    },
  });

  api.add({
    method: 'GET',
    path: '/api/widget/config',
    tag: 'Widget',
    summary: 'What the widget shows before the first message: persona, greeting, languages, colour, online',
    auth: 'widget',
    before: guard,
    query: z.object({
      language: z.enum(['en', 'it']).optional().describe('the host page\'s language: which privacy notice to send (default en)'),
      session_id: WidgetSessionQuery.shape.session_id.optional().describe('the visitor\'s conversation: `available` is false once its handoff waited too long'),
    }),
    response: WidgetConfig,
    errors: [401, 403],
    async handler(ctx, { query }) {
      const w = widgetOf(ctx);
      const tenant = await keyTenant(w.tenantId);
      const settings = settingsOf(tenant);
      const persona = await deps.personas.defaultFor(tenant.id);
      ctx.set('Cache-Control', 'no-store');
      return {
        tenant_id: tenant.id,
        persona: { name: persona?.name ?? 'Bob' },
        greeting: settings.greeting,
        greetings: { en: settings.greeting, it: settings.greeting_it! },
        languages: settings.languages,
        theme_color: settings.theme_color,
        online: await deps.isOnline(tenant.id),
        mode: w.mode,
        consent: widgetConsent(tenant, query.language ?? 'en'),
        ask_bob_or_person: settings.ask_bob_or_person === true,
        ...(await deps.availability(tenant, query.session_id)),
        sound: settings.widget_sound === true,
      };
    },
  });

  api.add({
    method: 'GET',
    path: '/api/widget/history',
    tag: 'Widget',
    summary: 'The conversation so far, to restore the widget after a reload',
    auth: 'widget',
    before: guard,
    query: WidgetSessionQuery,
    response: WidgetHistory,
    errors: [401, 403],
    async handler(ctx, { query }) {
      const w = widgetOf(ctx);
      const s = await deps.repo.byExternalId(w.tenantId, query.session_id);
      if (!s) return { session_id: query.session_id, status: 'bot' as const, messages: [] };
      const messages = (await deps.repo.visibleMessages(s.id)).map((m) => {
        const { session_id: _internal, ...rest } = toMessage(m);
        return deps.visitorLinks ? deps.visitorLinks(rest) : rest;
      });
      const rated = s.status === 'closed' && (await deps.rated(w.tenantId, s.id));
      return { session_id: s.external_id, status: s.status, messages, staff_seen_at: s.staff_seen_at ?? null, rated };
    },
  });

  // Presence in a conversation (issue #23): the visitor typing, and their seen receipts.
  api.add({
    method: 'POST',
    path: '/api/widget/typing',
    tag: 'Widget',
    summary: 'The visitor is typing (or stopped): shown in Live, never stored',
    description:
      'Same key and origin rules as `POST /api/widget/chat`. Ephemeral: reaches staff streams as a `typing` event with no id. ' +
      'A conversation not started yet → 404; more than a few per second → 429.',
    auth: 'widget',
    before: guard,
    body: WidgetTypingRequest,
    status: 204,
    errors: [401, 403, 404, 429],
    async handler(ctx, { body }) {
      const w = widgetOf(ctx);
      const s = await deps.repo.byExternalId(w.tenantId, body.session_id);
      if (!s) throw notFound('Session');
      if (!deps.typing.allow({ sessionId: s.id, by: 'visitor' })) throw new HttpError(429, 'rate_limited', 'Too many typing signals for this conversation');
      await deps.typing.send({ tenantId: s.tenant_id, externalId: s.external_id, sessionId: s.id, by: 'visitor', name: null, typing: body.typing });
      ctx.status = 204;
    },
  });

  api.add({
    method: 'POST',
    path: '/api/widget/seen',
    tag: 'Widget',
    summary: 'The visitor has the conversation open and visible: staff see "Seen by the visitor"',
    description: 'Same key and origin rules as `POST /api/widget/chat`. Stored (`visitor_seen_at`) and announced (`session.seen`) when a message came since the last receipt.',
    auth: 'widget',
    before: guard,
    body: WidgetSeenRequest,
    response: SeenReceipt,
    errors: [401, 403, 404],
    async handler(ctx, { body }) {
      const s = await deps.repo.byExternalId(widgetOf(ctx).tenantId, body.session_id);
      if (!s) throw notFound('Session');
      return deps.chat.seen(s, 'visitor');
    },
  });
}
