import { z } from 'zod';
import { LABEL_COLORS } from '../label-colors';
import { uuid } from './common';

// Issue #23, tools for agents: quick replies (canned responses), labels on conversations,
// assignment to a teammate. The chat list's filters are in ./chat (SessionListQuery).

export const CANNED_BODY_MAX = 4000;

export const cannedShortcut = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[a-z0-9-]+$/, 'use 1–32 characters: a-z, 0-9 and -');

export const CannedResponse = z
  .object({
    id: uuid,
    shortcut: cannedShortcut.describe('typed as /shortcut in Live\'s composer'),
    title: z.string(),
    body_en: z.string(),
    body_it: z.string(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .meta({ id: 'CannedResponse' });
export type CannedResponse = z.infer<typeof CannedResponse>;

const cannedBody = z.string().trim().min(1, 'the text is empty').max(CANNED_BODY_MAX);

export const CannedInput = z
  .object({ shortcut: cannedShortcut, title: z.string().trim().min(1).max(80), body_en: cannedBody, body_it: cannedBody })
  .meta({ id: 'CannedResponseInput' });
export const CannedPatch = CannedInput.partial().meta({ id: 'CannedResponsePatch' });

export { LABEL_COLORS };

export const ChatLabel = z
  .object({ id: uuid, name: z.string(), color: z.enum(LABEL_COLORS) })
  .meta({ id: 'ChatLabel' });
export type ChatLabel = z.infer<typeof ChatLabel>;

export const LabelInput = z
  .object({ name: z.string().trim().min(1).max(40), color: z.enum(LABEL_COLORS).default('gray') })
  .meta({ id: 'ChatLabelInput' });

export const SessionLabelsRequest = z
  .object({ labels: z.array(uuid).max(20).describe('the ids of the business\'s labels the conversation has (replaces the set)') })
  .meta({ id: 'SessionLabelsRequest' });

export const AssigneeRequest = z
  .object({ user_id: uuid.nullable().describe('an active member of the business; null: nobody') })
  .meta({ id: 'AssigneeRequest' });

/** A teammate a conversation can be assigned to. */
export const Teammate = z.object({ id: uuid, name: z.string(), email: z.string() }).meta({ id: 'Teammate' });
export type Teammate = z.infer<typeof Teammate>;
