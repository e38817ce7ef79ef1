import { z } from 'zod';
import {
  AgentMessageResponse,
  businessId,
  CHAT_BODY_LIMIT,
  ChatMessage,
  ChatReply,
  ChatSession,
  ConsoleSessionRequest,
  ConsoleSessionResponse,
  NoteRequest,
  SeenReceipt,
  PublicChatRequest,
  SessionIdParams,
  SessionList,
  SessionListQuery,
  SessionTranscript,
  StaffMessageRequest,
  TranscriptQuery,
  TypingRequest,
} from '../../../shared/schemas/chat';
import type { TypingSignals } from '../realtime/typing';
import { HttpError, notFound } from '../../errors';
import { REPLY_STREAM_EVENTS, streamReply } from './chat-stream';
import { authOf, type AppContext, type AuthContext } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import { decodeCursor, decodeSeqCursor, encodeCursor, pageOf } from '../../http/cursor';
import { findBusiness, tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import { toMessage, toSession, type ChatRepo, type SessionRow } from './chat.repo';
import type { ChatService } from './chat.service';


/** Same-origin check for the anonymous path: a browser on another site must use the widget path. */
export function assertSameOrigin(ctx: AppContext, publicUrl: string) {
  const origin = ctx.get('Origin');
  const own = new Set([`${ctx.protocol}://${ctx.host}`.toLowerCase(), publicUrl.toLowerCase()]);
  const crossOrigin = origin !== '' && !own.has(origin.toLowerCase());
  if (crossOrigin || ctx.get('Sec-Fetch-Site') === 'cross-site') {
    throw new HttpError(
      403,
      'cross_origin_forbidden',
      'POST /api/chat only accepts requests from Bob\'s own pages. From another site, use POST /api/widget/chat with X-Widget-Key (see docs/REQUEST_FLOWS.md).',
    );
  }
}

export function registerChatRoutes(
  api: ApiRouter,
  deps: { chat: ChatService; repo: ChatRepo; tenants: TenantsRepo; publicUrl: () => string; typing: TypingSignals; labels?: (rows: SessionRow[]) => Promise<ChatSession[]> },
) {
  const { chat, repo, tenants } = deps;
  /** Sessions as staff lists show them: with their labels (issue #23) when the app has them. */
  const sessionsOf = async (rows: SessionRow[]): Promise<z.infer<typeof ChatSession>[]> => (deps.labels ? deps.labels(rows) : rows.map(toSession));
  /** A session the caller may act on; another tenant's is a 404. */
  async function sessionFor(auth: AuthContext, ref: string, businessId?: string): Promise<SessionRow> {
    const tenant = await tenantOf(tenants, auth, businessId);
    const s = (await repo.find(tenant.id, ref)) ?? (auth.role === 'admin' && !businessId ? await repo.findAnyById(ref) : undefined);
    if (!s) throw notFound('Session');
    return s;
  }

  api.add({
    method: 'POST',
    path: '/api/chat',
    tag: 'Chat',
    summary: 'Anonymous chat from Bob\'s own pages (same origin)',
    description:
      '`business_id` is a tenant\'s slug or id (default: the platform\'s own business). Cross-origin requests are refused with 403 `cross_origin_forbidden`: ' +
      'embed the widget and use `POST /api/widget/chat`. This route sends no CORS headers.',
    auth: 'public',
    // Checked before the body is read: another site gets the same 403 whatever it sends.
    before: [async (ctx, next) => (assertSameOrigin(ctx as AppContext, deps.publicUrl()), next())],
    body: PublicChatRequest,
    bodyLimit: CHAT_BODY_LIMIT,
    response: ChatReply,
    produces: 'text/event-stream',
    events: REPLY_STREAM_EVENTS,
    errors: [403, 404, 429],
    async handler(ctx, { body }) {
      const tenant = body.business_id === undefined ? await tenants.platform() : await findBusiness(tenants, body.business_id);
      if (!tenant) throw new HttpError(404, 'unknown_business', `No business with id "${body.business_id}"`);
      const answer = (onToken?: (text: string) => void) =>
        chat.visitorMessage(tenant, body.session_id, body.message, { channel: 'web', origin: ctx.get('Origin') || null, keyMode: null, ip: ctx.ip }, undefined, { onToken });
      return body.stream ? streamReply(ctx, answer) : answer();
    },
  });

  const staffOnly = 'This route is for signed-in staff (Mission Control). From a public page, use POST /api/chat; from another site, POST /api/widget/chat.';

  api.add({
    method: 'POST',
    path: '/api/chat/session',
    tag: 'Chat',
    summary: 'Start a console session in which a staff member plays the visitor (to try a persona)',
    auth: 'user',
    permission: 'chat.manage',
    unauthenticatedMessage: staffOnly,
    body: ConsoleSessionRequest,
    // A platform admin viewing a business tries that business's personas.
    query: z.object({ business_id: businessId.optional().describe('platform admins: the business whose persona to try (id or slug)') }),
    bodyLimit: CHAT_BODY_LIMIT,
    status: 201,
    response: ConsoleSessionResponse,
    errors: [404],
    handler: async (ctx, { body, query }) => chat.createConsoleSession(authOf(ctx), (await tenantOf(tenants, authOf(ctx), query.business_id)).id, body),
  });

  api.add({
    method: 'POST',
    path: '/api/chat/message',
    tag: 'Chat',
    summary: 'Staff message: in a console session Bob replies; in a visitor\'s session it is the agent\'s reply (takes over)',
    description:
      'Console session → 200 with the chat reply body. Visitor session → 201 `{message_id, status: "agent"}`; the message reaches the visitor\'s stream at once. ' +
      'Platform admins may add `business_id` to address another tenant\'s session.',
    auth: 'user',
    permission: 'chat.manage',
    unauthenticatedMessage: staffOnly,
    body: StaffMessageRequest,
    bodyLimit: CHAT_BODY_LIMIT,
    response: z.union([ChatReply, AgentMessageResponse]),
    produces: 'text/event-stream',
    events: REPLY_STREAM_EVENTS,
    errors: [404, 409, 429],
    async handler(ctx, { body }) {
      const auth = authOf(ctx);
      const s = await sessionFor(auth, body.session_id, body.business_id);
      if (s.channel === 'console') {
        const tenant = (await tenants.byId(s.tenant_id))!;
        const answer = (onToken?: (text: string) => void) =>
          chat.visitorMessage(tenant, s.external_id, body.message, { channel: 'console', origin: null, keyMode: 'test', ip: ctx.ip, createdBy: auth.userId }, undefined, { onToken });
        return body.stream ? streamReply(ctx, answer) : answer();
      }
      ctx.status = 201;
      return chat.agentMessage(auth, s, body.message);
    },
  });

  api.add({
    method: 'GET',
    path: '/api/chat/sessions',
    tag: 'Chat',
    summary: 'Conversations, newest activity first; filter by status, label, assignee, channel; full-text search with q',
    description:
      'Persona try-it runs (console sessions) are not listed. With `q`, each session has `match`: its newest matching message, ' +
      'with a snippet in which the matched words sit between U+E000 and U+E001 (plain text, never HTML).',
    auth: 'user',
    permission: 'chat.view',
    query: SessionListQuery,
    response: SessionList,
    async handler(ctx, { query }) {
      const auth = authOf(ctx);
      const allTenants = auth.role === 'admin' && !query.business_id;
      const tenant = allTenants ? null : await tenantOf(tenants, auth, query.business_id);
      const assignee = query.assignee === 'me' ? auth.userId : query.assignee;
      const rows = await repo.list({
        tenantId: tenant?.id ?? null,
        status: query.status,
        q: query.q,
        after: decodeCursor(query.cursor),
        limit: query.limit + 1,
        label: query.label,
        assignee,
        channel: query.channel,
      });
      const page = pageOf(rows, query.limit, (last) => encodeCursor(last.last_message_at, last.id));
      const matches = query.q ? await repo.matches(page.data.map((row) => row.id), query.q) : undefined;
      const sessions = await sessionsOf(page.data);
      const data = sessions.map((session) => {
        const match = matches?.get(session.id);
        return match ? { ...session, match } : session;
      });
      return { data, next_cursor: page.next_cursor };
    },
  });

  api.add({
    method: 'GET',
    path: '/api/chat/sessions/:id',
    tag: 'Chat',
    summary: 'One conversation with its transcript (newest page first; internal notes included)',
    auth: 'user',
    permission: 'chat.view',
    params: SessionIdParams,
    query: TranscriptQuery,
    response: SessionTranscript,
    errors: [404],
    async handler(ctx, { params, query }) {
      const s = await sessionFor(authOf(ctx), params.id);
      const rows = await repo.transcript(s.id, decodeSeqCursor(query.before) ?? Number.MAX_SAFE_INTEGER, query.limit + 1);
      // Fetched newest first; the page reads oldest first, and the next one is older still.
      const page = pageOf(rows, query.limit, (oldest) => String(oldest.seq));
      return { session: (await sessionsOf([s]))[0]!, messages: { data: page.data.reverse().map(toMessage), next_cursor: page.next_cursor } };
    },
  });

  for (const [action, summary] of [
    ['takeover', 'A person takes the conversation over; the bot goes silent'],
    ['release', 'Hand the conversation back to the bot'],
    ['close', 'Close the conversation'],
  ] as const) {
    api.add({
      method: 'POST',
      path: `/api/chat/sessions/:id/${action}`,
      tag: 'Chat',
      summary,
      auth: 'user',
      permission: 'chat.manage',
      params: SessionIdParams,
      response: ChatSession,
      errors: [404, 409],
      async handler(ctx, { params }) {
        const auth = authOf(ctx);
        return chat[action](auth, await sessionFor(auth, params.id), ctx.ip);
      },
    });
  }

  // Presence in a conversation (issue #23).
  api.add({
    method: 'POST',
    path: '/api/chat/sessions/:id/typing',
    tag: 'Chat',
    summary: 'A person is typing (or stopped): shown in the visitor\'s widget, never stored',
    description:
      'Ephemeral: reaches the visitor\'s stream as a `typing` event with no id (never replayed, not in webhooks). Send `typing: true` every ~3 s while typing; ' +
      'the widget hides the indicator ~6 s after the last one, or at `typing: false`. More than a few per second for one conversation → 429.',
    auth: 'user',
    permission: 'chat.manage',
    params: SessionIdParams,
    body: TypingRequest,
    status: 204,
    errors: [404, 429],
    async handler(ctx, { params, body }) {
      const auth = authOf(ctx);
      const s = await sessionFor(auth, params.id);
      if (!deps.typing.allow({ sessionId: s.id, by: 'staff' })) throw new HttpError(429, 'rate_limited', 'Too many typing signals for this conversation');
      await deps.typing.send({ tenantId: s.tenant_id, externalId: s.external_id, sessionId: s.id, by: 'staff', name: auth.name, typing: body.typing });
      ctx.status = 204;
    },
  });

  api.add({
    method: 'POST',
    path: '/api/chat/sessions/:id/seen',
    tag: 'Chat',
    summary: 'Staff viewed the conversation: the visitor sees "Seen" under their last message',
    description: 'Stored (`staff_seen_at`) and announced (`session.seen`) when a message came since the last receipt; otherwise the receipt in force is returned unchanged.',
    auth: 'user',
    permission: 'chat.view',
    params: SessionIdParams,
    response: SeenReceipt,
    errors: [404],
    async handler(ctx, { params }) {
      const s = await sessionFor(authOf(ctx), params.id);
      return chat.seen(s, 'staff');
    },
  });

  api.add({
    method: 'POST',
    path: '/api/chat/sessions/:id/notes',
    tag: 'Chat',
    summary: 'Add an internal note (never shown to the visitor)',
    auth: 'user',
    permission: 'chat.manage',
    params: SessionIdParams,
    body: NoteRequest,
    bodyLimit: CHAT_BODY_LIMIT,
    status: 201,
    response: ChatMessage,
    errors: [404],
    async handler(ctx, { params, body }) {
      const auth = authOf(ctx);
      return chat.addNote(auth, await sessionFor(auth, params.id), body.body);
    },
  });
}
