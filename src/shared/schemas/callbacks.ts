// Issue #23, when nobody is there: the visitor's request to be answered later, the staff queue and
// reply, and the business's SMTP settings (Settings → Email).
import { z } from 'zod';
import { externalSessionId } from './chat';

const phone = z.string().trim().min(5).max(40).regex(/^\+?[0-9 ()./-]{5,40}$/, 'use digits, spaces and + ( ) . / -');
const email = z.email('use an email address like name@example.com').max(254);

export const WidgetCallbackRequest = z
  .object({
    session_id: externalSessionId,
    email: email.optional(),
    phone: phone.optional(),
    message: z.string().trim().min(1).max(2000),
    language: z.enum(['en', 'it']).optional().describe('the page\'s language (a new conversation\'s)'),
  })
  .refine((b) => b.email !== undefined || b.phone !== undefined, { message: 'give an email address or a phone number', path: ['email'] })
  .meta({ id: 'WidgetCallbackRequest' });

export const WidgetCallbackCreated = z.object({ id: z.uuid(), status: z.literal('open') }).meta({ id: 'WidgetCallbackCreated' });

export const CALLBACK_REASONS = ['closed', 'no_one'] as const;
export type CallbackReason = (typeof CALLBACK_REASONS)[number];

/** A request as staff see it (and as its events carry it, without the contact details). */
export const CallbackRequest = z
  .object({
    id: z.uuid(),
    session_id: z.uuid().describe('the conversation (internal id)'),
    external_id: z.string().describe('the visitor\'s session_id'),
    reason: z.enum(CALLBACK_REASONS),
    status: z.enum(['open', 'answered']),
    created_at: z.string(),
    answered_at: z.string().nullable(),
  })
  .meta({ id: 'CallbackRequest' });
export type CallbackRequest = z.infer<typeof CallbackRequest>;

export const CallbackRequestDetail = CallbackRequest.extend({
  email: z.string().nullable(),
  phone: z.string().nullable(),
  message: z.string(),
}).meta({ id: 'CallbackRequestDetail' });
export type CallbackRequestDetail = z.infer<typeof CallbackRequestDetail>;

export const CallbackList = z.object({ items: z.array(CallbackRequestDetail) }).meta({ id: 'CallbackList' });
export const CallbackListQuery = z.object({
  status: z.enum(['open', 'answered']).default('open'),
  business_id: z.string().max(64).optional().describe('platform admins: another business'),
});
export const CallbackIdParams = z.object({ id: z.uuid() });
export const CallbackReply = z.object({ message: z.string().trim().min(1).max(4000) }).meta({ id: 'CallbackReply' });
export const CallbackReplied = z
  .object({ request: CallbackRequestDetail, message_id: z.uuid(), emailed: z.boolean().describe('false: no email address, or no SMTP settings') })
  .meta({ id: 'CallbackReplied' });

/** Settings → Email as read: the password never, only whether one is set. */
export const EmailSettings = z
  .object({
    configured: z.boolean(),
    host: z.string(),
    port: z.number().int(),
    secure: z.boolean(),
    user: z.string(),
    from: z.string(),
    password_set: z.boolean(),
  })
  .meta({ id: 'EmailSettings' });
export type EmailSettings = z.infer<typeof EmailSettings>;

export const EmailSettingsPut = z
  .object({
    host: z.string().trim().min(1).max(253).regex(/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:.]+\]$/, 'use a host name or an address'),
    port: z.number().int().min(1).max(65535),
    secure: z.boolean().default(false).describe('true: TLS from the start (usually port 465); false: STARTTLS when offered'),
    user: z.string().trim().max(254).default(''),
    password: z.string().max(512).optional().describe('omit to keep the stored one; "" clears it'),
    from: email.describe('the sender address of the replies'),
  })
  .meta({ id: 'EmailSettingsPut' });
export type EmailSettingsPut = z.infer<typeof EmailSettingsPut>;

export const EmailTestRequest = z.object({ to: email }).meta({ id: 'EmailTestRequest' });
export const EmailTestResult = z
  .object({ ok: z.boolean(), error: z.string().optional().describe('the SMTP error, when not ok') })
  .meta({ id: 'EmailTestResult' });
export type EmailTestResult = z.infer<typeof EmailTestResult>;
