// The live streams: staff (GET /api/events, Mission Control) and visitors (GET /api/widget/stream,
// the widget). Each is one event-bus subscription fanned out to its open streams (sse-fanout.ts),
// resumes from Last-Event-ID by replaying stored events, and the staff streams make presence.
import { z } from 'zod';
import { EVENT_TYPES, type BobEvent } from '../../../shared/events';
import { ChatMessage, SessionStatus, WidgetSessionQuery } from '../../../shared/schemas/chat';
import type { Clock } from '../../clock';
import { authOf, widgetOf } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import type { ChatRepo } from '../chat/chat.repo';
import { isConsoleRun } from '../chat/chat.service';
import type { EventBus } from '../events/events.bus';
import type { EventsRepo } from '../events/events.repo';
import type { TenantsRepo } from '../tenants/tenants.repo';
import { createWidgetGuard } from '../widget/widget.guard';
import type { WidgetKeysRepo } from '../widget-keys/widget-keys.repo';
import type { Presence } from './presence';
import type { TypingSignals } from './typing';
import { conversationKey, staffFrame, visitorConversation, visitorFrame, type VisitorLinks } from './projections';
import { lastEventId, sseFrame, type SseRegistry, type SseStream } from './sse';
import { EVERY_STREAM, SseFanout } from './sse-fanout';

/** The staff stream sends every stored event of the caller's tenant: `event:` is its type, `data:` its payload. */
const STAFF_STREAM_EVENTS = {
  ...Object.fromEntries(EVENT_TYPES.map((type) => [type, z.record(z.string(), z.unknown())])),
  // Ephemeral (no id, never replayed): the visitor is typing, or stopped.
  typing: z.object({ session_id: z.string(), tenant_id: z.string(), by: z.literal('visitor'), typing: z.boolean() }),
};

/** The visitor stream's events (documented in OpenAPI): a message they may see, and the conversation's status. */
const VISITOR_STREAM_EVENTS = {
  message: ChatMessage.omit({ session_id: true }),
  status: z.object({ status: SessionStatus }),
  offline: z.object({ reason: z.enum(['no_one']) }),
  // Issue #23: a person read the conversation; a person is typing (ephemeral: no id, never replayed).
  seen: z.object({ at: z.string() }),
  typing: z.object({ by: z.literal('staff'), name: z.string().nullable(), typing: z.boolean() }),
};

/** The fan-out key of a platform admin's stream (not a tenant id): it sees every tenant's events. */
const ALL_TENANTS = '\0all-tenants';

export function registerRealtimeRoutes(
  api: ApiRouter,
  deps: { bus: EventBus; events: EventsRepo; sse: SseRegistry; presence: Presence; chats: ChatRepo; tenants: TenantsRepo; keys: WidgetKeysRepo; clock: Clock; visitorLinks?: VisitorLinks; typing: TypingSignals },
) {
  const { bus, sse, presence, chats } = deps;
  /**
   * Adds `stream` to `fanout` under `key` and, when it resumes (`after` > 0), first writes it the
   * stored events it missed (`write` picks and frames them). Live events that come during the
   * replay's query are held and follow it, those it replayed skipped: none lost, none twice.
   */
  async function join(fanout: SseFanout, key: string, stream: SseStream, after: number, replay: (after: number) => Promise<BobEvent[]>, write: (e: BobEvent) => void) {
    const remove = fanout.add(key, stream, { hold: after > 0 });
    if (after > 0) {
      let upTo = after;
      try {
        for (const e of await replay(after)) {
          upTo = e.id;
          if (!stream.closed) write(e);
        }
      } catch (error) {
        remove();
        throw error;
      } finally {
        fanout.release(stream, upTo);
      }
    }
    return remove;
  }
  // Try-it runs answer their tester through the POST itself; announcing them would list them in Live.
  // Live events: one subscription for every staff stream, each event serialised once. A stream is
  // kept under its tenant (a platform admin's under ALL_TENANTS); the pricebook goes to every stream.
  const staffFanout = new SseFanout(bus, {
    keysOf: (e) => (e.type === 'pricebook.published' ? EVERY_STREAM : [e.tenantId, ALL_TENANTS]),
    frame: (e) => (isConsoleRun(e) ? null : staffFrame(e)),
  });
  // One subscription for every visitor stream, kept under its conversation, so an event visits only
  // the streams of the conversation it belongs to and is serialised once for them.
  const visitorFanout = new SseFanout(bus, {
    keysOf: (e) => {
      const externalId = visitorConversation(e);
      return externalId === undefined ? [] : [conversationKey(e.tenantId, externalId)];
    },
    frame: (e) => visitorFrame(e, visitorConversation(e)!, deps.visitorLinks),
  });

  // Typing indicators reach the other side's open streams as they come, never stored (typing.ts).
  deps.typing.subscribe((t) => {
    if (t.by === 'visitor') {
      staffFanout.signal([t.tenantId, ALL_TENANTS], sseFrame({ event: 'typing', data: { session_id: t.sessionId, tenant_id: t.tenantId, by: 'visitor', typing: t.typing } }));
    } else {
      visitorFanout.signal([conversationKey(t.tenantId, t.externalId)], sseFrame({ event: 'typing', data: { by: 'staff', name: t.name, typing: t.typing } }));
    }
  });

  api.add({
    method: 'GET',
    path: '/api/events',
    tag: 'Chat',
    summary: 'Live events for staff (Server-Sent Events), filtered to the caller\'s tenant',
    description:
      'Event types: session.created, message.created, session.updated, session.closed, handoff.requested, credits.threshold, session.seen (seen receipts); ' +
      'and `typing` (a visitor typing, ephemeral: no id, never stored nor replayed). ' +
      'Each event\'s `id` can be sent back as `Last-Event-ID` to resume. Heartbeat comments every 15 s.',
    auth: 'user',
    permission: 'chat.view',
    produces: 'text/event-stream',
    events: STAFF_STREAM_EVENTS,
    errors: [429],
    async handler(ctx) {
      const auth = authOf(ctx);
      // Read before the stream opens (presence counts the platform's staff for every tenant).
      const platform = (await deps.tenants.byId(auth.tenantId))?.is_platform === 1;
      // The pricebook is platform-wide and public: every business's open Pricebook page follows it.
      // (The live events follow the same rule, in staffFanout.)
      const visible = (e: BobEvent) => (auth.role === 'admin' || e.tenantId === auth.tenantId || e.type === 'pricebook.published') && !isConsoleRun(e);
      const scope = auth.role === 'admin' ? {} : { tenantId: auth.tenantId };
      let remove = () => {};
      const stream = sse.start(
        ctx,
        () => {
          remove();
          presence.closed(auth.tenantId);
        },
        { userId: auth.userId },
      );
      presence.opened(auth.tenantId, platform);
      if (stream.closed) return;
      const key = auth.role === 'admin' ? ALL_TENANTS : auth.tenantId;
      remove = await join(staffFanout, key, stream, lastEventId(ctx), (after) => deps.events.replay(scope, after), (e) => {
        if (visible(e)) stream.write(staffFrame(e));
      });
      if (stream.closed) remove(); // closed during the replay, before `remove` was known
    },
  });

  api.add({
    method: 'GET',
    path: '/api/widget/stream',
    tag: 'Widget',
    summary: 'Live agent replies and status for one conversation (Server-Sent Events)',
    description:
      'EventSource cannot send headers, so the key comes as `?key=`. Events: `message` (a message the visitor may see), `status`, ' +
      '`seen` (a person read the conversation) and `typing` (a person typing; ephemeral: no id, never replayed). ' +
      'Resume with `Last-Event-ID`.',
    auth: 'widget',
    before: createWidgetGuard(deps.keys, deps.clock),
    query: WidgetSessionQuery,
    produces: 'text/event-stream',
    events: VISITOR_STREAM_EVENTS,
    errors: [401, 403, 429],
    async handler(ctx, { query }) {
      const w = widgetOf(ctx);
      const externalId = query.session_id;
      const existing = await chats.byExternalId(w.tenantId, externalId);
      let remove = () => {};
      const stream = sse.start(ctx, () => remove(), { ip: ctx.ip, widgetKeyId: w.keyId });
      if (stream.closed) return;
      // A conversation not started yet has nothing stored to replay.
      const after = existing ? lastEventId(ctx) : 0;
      remove = await join(visitorFanout, conversationKey(w.tenantId, externalId), stream, after, (from) => deps.events.replay({ sessionId: existing!.id }, from), (e) => {
        const frame = visitorFrame(e, externalId, deps.visitorLinks);
        if (frame) stream.write(frame);
      });
      if (stream.closed) remove(); // closed during the replay, before `remove` was known
    },
  });
}
