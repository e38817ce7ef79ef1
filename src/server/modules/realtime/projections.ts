// What each live stream shows of an event: the staff stream every event of the tenants it may see,
// the visitor stream the messages and status of one conversation. Frames are made once per event
// and written as the same bytes to every stream that shows it (sse-fanout.ts).
import type { BobEvent } from '../../../shared/events';
import type { ChatMessage } from '../../../shared/schemas/chat';
import { sseFrame, type SseMessage } from './sse';

/** An event as every staff stream shows it: `event:` is its type, `data:` its payload with its tenant and time. */
export const staffFrame = (e: BobEvent): Buffer => sseFrame({ id: e.id, event: e.type, data: { ...e.data, tenant_id: e.tenantId, at: e.createdAt } });

/** The conversation (its external id) an event could be shown in, if any: the visitor fan-out's key, with its tenant. */
export function visitorConversation(e: BobEvent): string | undefined {
  if (e.type === 'message.created') return e.data.external_id;
  if (e.type === 'session.updated') return e.data.session.session_id;
  if (e.type === 'callback.offered') return e.data.session_id;
  if (e.type === 'session.seen') return e.data.external_id;
  return undefined;
}

export const conversationKey = (tenantId: string, externalId: string) => `${tenantId}\n${externalId}`;

/** A message's file links as the visitor gets them (signed; issue #23). */
export type VisitorLinks = <M extends Pick<ChatMessage, 'attachments'>>(m: M) => M;

/** What a visitor's stream may carry: their conversation's messages (never notes) and status. */
function forVisitor(e: BobEvent, externalId: string, sign?: VisitorLinks): Omit<SseMessage, 'id'> | null {
  if (e.type === 'message.created' && e.data.external_id === externalId && e.data.message.author !== 'note') {
    const { session_id: _internal, ...message } = e.data.message;
    return { event: 'message', data: sign ? sign(message) : message };
  }
  if (e.type === 'session.updated' && e.data.session.session_id === externalId) return { event: 'status', data: { status: e.data.session.status } };
  // Issue #23: nobody took the handoff in time; the widget offers to be answered later.
  if (e.type === 'callback.offered' && e.data.session_id === externalId) return { event: 'offline', data: { reason: e.data.reason } };
  // Seen receipts: the visitor learns when a person read the conversation (not their own receipts).
  if (e.type === 'session.seen' && e.data.external_id === externalId && e.data.by === 'staff') return { event: 'seen', data: { at: e.data.at } };
  return null;
}

/** An event as a visitor's stream shows it (`forVisitor`), or null. */
export function visitorFrame(e: BobEvent, externalId: string, sign?: VisitorLinks): Buffer | null {
  const v = forVisitor(e, externalId, sign);
  return v ? sseFrame({ id: e.id, ...v }) : null;
}
