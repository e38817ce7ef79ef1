// Every event Bob stores and announces, with its payload: the one contract shared by the producers
// (the services, through `emit`), the staff and visitor streams, webhooks, the desktop shell and
// Mission Control. Types and plain constants only (the schema imports are types, erased at build),
// so the renderer can import it without carrying the validator.
import type { CallbackRequest } from './schemas/callbacks';
import type { CatalogVersion } from './schemas/catalog';
import type { ChatMessage, ChatSession } from './schemas/chat';
import type { Persona } from './schemas/personas';
import type { Pricebook } from './schemas/pricebook';

/**
 * Each event type and its payload: the `data` of the stored row, of a webhook delivery, and of a
 * staff stream's frame (which adds `tenant_id` and `at`). The keys are the event types.
 */
export interface EventPayloads {
  /** The first message of a conversation, or a console session. */
  'session.created': { session: ChatSession };
  /** Any message, notes included. `session_id` is the internal id (uuid), `external_id` the visitor's. */
  'message.created': { session_id: string; external_id: string; message: ChatMessage };
  /** Status or assignment changed (also when Bob's unanswered-question count changes). */
  'session.updated': { session: ChatSession };
  'session.closed': { session: ChatSession };
  /** Bob handed a conversation to people; `message` is what the visitor wrote that led to it. */
  'handoff.requested': { session: ChatSession; reason: 'asked' | 'unanswered' | 'credits'; message: string };
  /** The tenant crossed 80 % or 100 % of its monthly AI credits. */
  'credits.threshold': { percent: number; used: number; allowance: number; month: string };
  /** Platform-wide: stored under the platform tenant, shown to every tenant. */
  'pricebook.published': { version: number; previous_version: number | null; pricebook: Pricebook };
  'catalog.published': { version: number; previous_version: number | null; catalog: CatalogVersion };
  'persona.updated': { persona: Persona };
  'widget_key.revoked': { id: string; label: string };
  /**
   * A visitor's conversation was erased (staff with privacy.manage, or the visitor from the widget):
   * `session_id` is the visitor's id; `counts` say how much went, never what.
   */
  'visitor.erased': { session_id: string; counts: ErasureCounts };
  /**
   * The visitor rated a closed conversation (issue #23): `session_id` is the visitor's id,
   * `agent_id` the last person who replied (null: Bob alone).
   */
  'csat.submitted': { session_id: string; score: number; comment: string | null; agent_id: string | null };
  /** Issue #23: nobody took the handoff in time; the widget offers to be answered later. `session_id` is the visitor's id. */
  'callback.offered': { session_id: string; reason: 'no_one' };
  /** Issue #23: a visitor asked to be answered later (contact details are not in the event). */
  'callback.requested': { request: CallbackRequest };
  /** Issue #23: a person replied to a request (in the conversation, and by email when there is an address). */
  'callback.answered': { request: CallbackRequest; emailed: boolean };
  /** Seen receipt (issue #23): the visitor or staff viewed the conversation. `session_id` internal, `external_id` the visitor's. */
  'session.seen': { session_id: string; external_id: string; by: 'visitor' | 'staff'; at: string };
  /** A conversation was assigned to a teammate (`assignee`), or unassigned (null), by `by`. */
  'session.assigned': { session: ChatSession; assignee: { id: string; name: string } | null; by: { id: string; name: string } };
}

/** What an erasure removed or redacted, counted (never the content). */
export interface ErasureCounts {
  sessions: number;
  messages: number;
  unanswered_questions: number;
  /** Privacy-notice acceptances of the conversation. */
  consents: number;
  events_redacted: number;
  deliveries_redacted: number;
}

export type EventType = keyof EventPayloads;

// Keyed by type, so the compiler rejects a type missing from the list or one that is not an event;
// the order is the one the docs list them in.
const EVENT_TYPE_ORDER: { readonly [T in EventType]: null } = {
  'session.created': null,
  'message.created': null,
  'session.updated': null,
  'session.closed': null,
  'handoff.requested': null,
  'credits.threshold': null,
  'pricebook.published': null,
  'catalog.published': null,
  'persona.updated': null,
  'widget_key.revoked': null,
  'visitor.erased': null,
  'csat.submitted': null,
  'callback.offered': null,
  'callback.requested': null,
  'callback.answered': null,
  'session.seen': null,
  'session.assigned': null,
};
export const EVENT_TYPES = Object.keys(EVENT_TYPE_ORDER) as readonly EventType[];

/** One stored event of type `T`; its row id is the SSE event id. */
export interface EventOf<T extends EventType> {
  id: number;
  tenantId: string;
  type: T;
  /** The conversation (internal id) the event belongs to, if any: the visitor stream's resume scope. */
  sessionId: string | null;
  data: EventPayloads[T];
  createdAt: string;
}

/** Any event: narrow it with `e.type` to reach its payload. */
export type BobEvent = { [T in EventType]: EventOf<T> }[EventType];

/** A staff stream frame's `data` (GET /api/events): the payload with its tenant and time. */
export type StaffStreamData<T extends EventType> = EventPayloads[T] & { tenant_id: string; at: string };
