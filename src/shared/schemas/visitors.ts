import { z } from 'zod';
import { ChatMessage, ChatSession, externalSessionId } from './chat';

// A visitor's rights (issue #22): find their conversations, export everything Bob holds about
// them, erase it. A visitor is named by the session id the chat API uses (`session_id`).

export const VisitorSearchQuery = z.object({
  q: z.string().trim().min(1).max(200).describe('a session id (exact), an email written in the chat, or the visitor\'s name'),
  business_id: z.string().max(64).optional().describe('platform admins: another tenant'),
});

export const VisitorMatch = z
  .object({
    session_id: z.string().describe('the visitor-facing session id'),
    visitor_name: z.string().nullable(),
    started_at: z.string(),
    last_message_at: z.string(),
    messages: z.number().int().describe('how many messages the conversation holds'),
    matched_by: z.enum(['session_id', 'email', 'name']),
  })
  .meta({ id: 'VisitorMatch' });
export type VisitorMatch = z.infer<typeof VisitorMatch>;

export const VisitorSearchResult = z.object({ data: z.array(VisitorMatch) }).meta({ id: 'VisitorSearchResult' });

export const VisitorParams = z.object({ id: externalSessionId });

export const VisitorExportQuery = z.object({
  notes: z.enum(['0', '1']).default('0').describe('1: include the staff\'s internal notes'),
  business_id: z.string().max(64).optional().describe('platform admins: another tenant'),
});

export const VisitorScopeQuery = z.object({ business_id: z.string().max(64).optional().describe('platform admins: another tenant') });

export const ErasureCounts = z
  .object({
    sessions: z.number().int(),
    messages: z.number().int(),
    unanswered_questions: z.number().int(),
    events_redacted: z.number().int(),
    deliveries_redacted: z.number().int(),
    consents: z.number().int().describe('privacy-notice acceptances forgotten'),
  })
  .meta({ id: 'ErasureCounts' });

export const VisitorErasure = z.object({ session_id: z.string(), counts: ErasureCounts }).meta({ id: 'VisitorErasure' });

export const WidgetEraseRequest = z.object({ session_id: externalSessionId });

export const VisitorExport = z
  .object({
    format: z.literal('bob.visitor-export/1'),
    exported_at: z.string(),
    business: z.object({ id: z.string(), name: z.string() }),
    session_id: z.string(),
    includes_notes: z.boolean(),
    sessions: z.array(ChatSession),
    messages: z.array(ChatMessage),
    unanswered_questions: z.array(z.object({ message_id: z.string(), question: z.string(), reason: z.string(), created_at: z.string() })),
    consents: z.array(z.object({ version: z.number().int(), accepted_at: z.string() })).describe('the privacy-notice acceptances of the conversation'),
    visitor: z
      .object({
        name: z.string().nullable(),
        email: z.string().nullable(),
        attributes: z.record(z.string(), z.unknown()),
        verified: z.object({ sub: z.string(), name: z.string().nullable(), email: z.string().nullable(), at: z.string().nullable() }).nullable(),
      })
      .nullable()
      .describe('what the site told Bob about the visitor (window.Bob.setVisitor, unverified) and the identity a signed token proved (Bob.identify)'),
    attachments: z
      .array(z.object({ id: z.string(), message_id: z.string(), name: z.string(), type: z.string(), size: z.number().int(), sha256: z.string(), created_at: z.string() }))
      .describe('the files of the conversation (their metadata; the bytes through GET /api/attachments/{id})'),
  })
  .meta({ id: 'VisitorExport' });
export type VisitorExport = z.infer<typeof VisitorExport>;
