import { z } from 'zod';
import { isoDateTime, keysetCursor, listOf, seqCursor, uuid } from './common';
import { DocumentRef } from './knowledge';
import { ChatLabel } from './agent-tools';

export const MESSAGE_MAX = 4000;
export const CHAT_BODY_LIMIT = 32 * 1024;

export const SessionStatus = z.enum(['bot', 'waiting_for_agent', 'agent', 'closed']);
export type SessionStatus = z.infer<typeof SessionStatus>;

export const externalSessionId = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'use 1–128 characters: letters, digits, _ . : -');

export const messageText = z
  .string()
  .trim()
  .min(1, 'the message is empty')
  .max(MESSAGE_MAX, `the message is longer than ${MESSAGE_MAX} characters`);

export const businessId = z.string().trim().min(1).max(64);

/** POST /api/chat — same origin, anonymous (the seed's wire format). */
export const PublicChatRequest = z
  .object({ message: messageText, session_id: externalSessionId, business_id: businessId.optional(), stream: z.boolean().optional().describe('true: answer as text/event-stream (token events, then the reply body as a reply event)') })
  .meta({ id: 'PublicChatRequest' });

/** POST /api/widget/chat — cross-origin embed. */
export const WidgetChatRequest = z
  .object({
    message: messageText,
    session_id: externalSessionId,
    language: z.enum(['en', 'it']).optional().describe("the host page's language, a hint when the message itself is ambiguous"),
    stream: z.boolean().optional().describe('true: answer as text/event-stream (token events, then the reply body as a reply event)'),
  })
  .meta({ id: 'WidgetChatRequest' });

/** The parts of the business profile an answer used. */
export const PROFILE_FIELDS = ['about', 'address', 'phone', 'email', 'website', 'hours', 'closures'] as const;
export type ProfileField = (typeof PROFILE_FIELDS)[number];

/** What one of Bob's replies was based on: the receipt an owner reads under it. */
export const ReplyBasis = z
  .object({
    responder: z.enum(['builtin', 'model', 'fallback']),
    persona_id: uuid.nullable(),
    persona_version: z.number().int().nullable(),
    catalog_version: z.number().int().nullable(),
    pricebook_version: z.number().int().nullable(),
    items: z.array(z.string()).describe('catalog item ids quoted'),
    faq_ids: z.array(z.string()),
    profile: z.array(z.enum(PROFILE_FIELDS)),
    documents: z.array(DocumentRef).describe('knowledge documents the answer quoted (named in the text as "(from: Title)")'),
  })
  .meta({ id: 'ReplyBasis' });
export type ReplyBasis = z.infer<typeof ReplyBasis>;

/** The reply body of every path that produces one. */
export const ChatReply = z
  .object({
    session_id: z.string(),
    message_id: uuid,
    reply: z.string().nullable(),
    from: z.enum(['bot', 'agent', 'system']),
    persona: z.object({ name: z.string() }),
    status: SessionStatus,
    handoff: z.boolean(),
    basis: ReplyBasis.nullable().describe('what Bob\'s reply was based on; null when a person or the system answered'),
  })
  .meta({ id: 'ChatReply' });
export type ChatReply = z.infer<typeof ChatReply>;

export const ConsoleSessionRequest = z
  .object({ persona_id: uuid.optional(), visitor_name: z.string().trim().min(1).max(80).optional() })
  .meta({ id: 'ConsoleSessionRequest' });

export const ConsoleSessionResponse = z
  .object({ session_id: z.string(), status: SessionStatus, persona: z.object({ id: uuid, name: z.string() }), created_at: isoDateTime })
  .meta({ id: 'ConsoleSessionResponse' });

export const StaffMessageRequest = z
  .object({ session_id: externalSessionId, message: messageText, business_id: businessId.optional(), stream: z.boolean().optional().describe('true (console sessions): answer as text/event-stream (token events, then the reply body as a reply event)') })
  .meta({ id: 'StaffMessageRequest' });

export const AgentMessageResponse = z
  .object({ message_id: uuid, status: z.literal('agent') })
  .meta({ id: 'AgentMessageResponse' });

export const MessageAuthor = z.enum(['visitor', 'bot', 'agent', 'system', 'note']);

/** Image or PDF types an attachment can have (sniffed from its bytes). */
export const ATTACHMENT_TYPES = ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf'] as const;
export const MessageAttachment = z
  .object({
    id: uuid,
    name: z.string(),
    type: z.enum(ATTACHMENT_TYPES),
    size: z.number().int().nonnegative(),
    url: z
      .string()
      .describe('staff: `/api/attachments/{id}` (signed-in, relative; absolute in webhooks); the widget: a signed `/api/widget/attachments/{id}?exp=…&sig=…` valid about 15 minutes'),
  })
  .meta({ id: 'MessageAttachment' });
export type MessageAttachment = z.infer<typeof MessageAttachment>;

export const ChatMessage = z
  .object({
    id: uuid,
    session_id: uuid,
    author: MessageAuthor,
    author_name: z.string().nullable(),
    body: z.string(),
    created_at: isoDateTime,
    basis: ReplyBasis.nullable().describe("Bob's messages: what the reply was based on"),
    attachments: z.array(MessageAttachment).optional().describe('the files the message carries (issue #23); absent when none'),
  })
  .meta({ id: 'ChatMessage' });
export type ChatMessage = z.infer<typeof ChatMessage>;

export const ChatSession = z
  .object({
    id: uuid,
    session_id: z.string().describe('the visitor-facing session id'),
    tenant_id: uuid,
    channel: z.enum(['web', 'widget', 'console']),
    status: SessionStatus,
    persona: z.object({ id: uuid, name: z.string() }).nullable(),
    visitor_name: z.string().nullable(),
    language: z.enum(['en', 'it']),
    origin: z.string().nullable(),
    assigned_user_id: uuid.nullable(),
    waiting_since: isoDateTime.nullable(),
    last_message: z.string(),
    last_message_at: isoDateTime,
    message_count: z.number().int(),
    created_at: isoDateTime,
    updated_at: isoDateTime,
    visitor_seen_at: isoDateTime.nullable().describe('seen receipt: when the visitor last had the conversation open after a message came'),
    staff_seen_at: isoDateTime.nullable().describe('seen receipt: when staff last viewed the conversation after a message came'),
    labels: z.array(ChatLabel).optional().describe('its labels (lists, transcripts and label changes carry them)'),
  })
  .meta({ id: 'ChatSession' });
export type ChatSession = z.infer<typeof ChatSession>;

export const SessionListQuery = z.object({
  status: SessionStatus.optional(),
  q: z.string().trim().min(1).max(200).optional().describe('full-text search over messages'),
  cursor: keysetCursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(30),
  business_id: businessId.optional().describe('platform admins: another tenant'),
  label: uuid.optional().describe('only conversations with this label'),
  assignee: z.union([z.enum(['me', 'anyone', 'unassigned']), uuid]).optional().describe('me, anyone (assigned to someone), unassigned, or a member\'s id'),
  channel: z.enum(['web', 'widget']).optional(),
});

export const SessionMatch = z
  .object({
    message_id: uuid,
    snippet: z.string().describe('the matching message around the hit; matched words between U+E000 and U+E001'),
  })
  .meta({ id: 'ChatSessionMatch' });

export const SessionListItem = ChatSession.extend({ match: SessionMatch.optional().describe('with q: the newest message that matched') }).meta({ id: 'ChatSessionListItem' });
export type SessionListItem = z.infer<typeof SessionListItem>;

export const SessionList = listOf(SessionListItem).meta({ id: 'ChatSessionList' });

export const TranscriptQuery = z.object({
  before: seqCursor.optional().describe('cursor: messages older than this'),
  limit: z.coerce.number().int().min(1).max(200).default(100),
});

export const SessionTranscript = z
  .object({ session: ChatSession, messages: listOf(ChatMessage) })
  .meta({ id: 'ChatSessionTranscript' });

export const NoteRequest = z.object({ body: messageText }).meta({ id: 'NoteRequest' });

export const SessionIdParams = z.object({ id: z.string().min(1).max(128) });

export const WidgetConfig = z
  .object({
    tenant_id: uuid,
    persona: z.object({ name: z.string() }),
    greeting: z.string().describe('the English greeting (kept for older widgets)'),
    greetings: z.object({ en: z.string(), it: z.string() }).describe('the greeting per page language'),
    languages: z.array(z.enum(['en', 'it'])),
    theme_color: z.string(),
    online: z.boolean().describe('someone is watching Mission Control now'),
    mode: z.enum(['live', 'test']),
    consent: z
      .object({ required: z.boolean(), notice: z.string(), policy_url: z.string(), version: z.number().int() })
      .optional()
      .describe('the privacy notice (issue #22): shown before the first message; `required` blocks messages until accepted (POST /api/widget/consent)'),
    ask_bob_or_person: z.boolean().optional().describe('true: ask "Chat with Bob or wait for a person?" before the first message (issue #23)'),
    available: z.boolean().optional().describe('issue #23: false when nobody can answer now (the widget asks for an email or phone, POST /api/widget/callback)'),
    reason: z.enum(['closed', 'no_one']).optional().describe('why not available: outside the opening hours, or this conversation\'s handoff was not taken in time'),
    sound: z.boolean().optional().describe('the business\'s `widget_sound`: beep when a reply arrives while the widget is closed or the tab hidden'),
  })
  .meta({ id: 'WidgetConfig' });

export const WidgetSessionQuery = z.object({ session_id: externalSessionId });

export const WidgetHistory = z
  .object({
    session_id: z.string(),
    status: SessionStatus,
    messages: z.array(ChatMessage.omit({ session_id: true })),
    staff_seen_at: isoDateTime.nullable().optional().describe('when a person of the team last read the conversation'),
    rated: z.boolean().optional().describe('the visitor already rated this closed conversation'),
  })
  .meta({ id: 'WidgetHistory' });

/** Typing indicators (issue #23): ephemeral, never stored; a "typing" lapses after ~6 s without a refresh. */
export const TypingRequest = z.object({ typing: z.boolean() });
export const WidgetTypingRequest = z.object({ session_id: externalSessionId, typing: z.boolean() });
export const WidgetSeenRequest = z.object({ session_id: externalSessionId });
export const SeenReceipt = z.object({ by: z.enum(['visitor', 'staff']), at: isoDateTime.nullable() }).meta({ id: 'SeenReceipt' });
