import { z } from 'zod';
import { externalSessionId, SessionStatus } from './chat';
import { isoDateTime } from './common';

/** Limits on what a site may say about its visitor (Bob.setVisitor): unverified, shown as such. */
export const VISITOR_LIMITS = { name: 100, email: 254, attributes: 20, attributeKey: 40, attributeValue: 200 } as const;
/** A JWT longer than this is refused before it is parsed. */
export const IDENTITY_TOKEN_MAX = 4096;

const attributeValue = z.union([z.string().max(VISITOR_LIMITS.attributeValue), z.number().finite(), z.boolean(), z.null()]);
export const VisitorAttributes = z
  .record(z.string().regex(/^[A-Za-z0-9_.-]{1,40}$/, 'attribute names: letters, digits, _ . - (at most 40)'), attributeValue)
  .refine((a) => Object.keys(a).length <= VISITOR_LIMITS.attributes, `at most ${VISITOR_LIMITS.attributes} attributes`)
  .describe(`at most ${VISITOR_LIMITS.attributes} attributes; values: text (≤ ${VISITOR_LIMITS.attributeValue}), number, boolean or null (null removes one)`);

/** POST /api/widget/visitor — what the site says about its visitor (Bob.setVisitor), stored unverified. */
export const WidgetVisitorRequest = z
  .object({
    session_id: externalSessionId,
    name: z.string().trim().max(VISITOR_LIMITS.name).nullable().optional(),
    email: z.email().max(VISITOR_LIMITS.email).nullable().optional(),
    attributes: VisitorAttributes.optional(),
  })
  .meta({ id: 'WidgetVisitorRequest' });

/** POST /api/widget/identify — a token signed by the site's server (Bob.identify). */
export const WidgetIdentifyRequest = z
  .object({ session_id: externalSessionId, token: z.string().min(1).max(IDENTITY_TOKEN_MAX).describe('a JWT signed HS256 with the widget key\'s identity secret: sub and exp required, name and email optional') })
  .meta({ id: 'WidgetIdentifyRequest' });

export const WidgetIdentified = z
  .object({
    session_id: z.string().describe('the conversation to continue: the identity\'s latest open one (switch to it), else the one sent'),
    verified: z.literal(true),
    name: z.string().nullable(),
    email: z.string().nullable(),
  })
  .meta({ id: 'WidgetIdentified' });

/** Who a conversation's visitor is, for staff: the site's unverified claims and the verified identity. */
export const VisitorProfile = z
  .object({
    name: z.string().nullable(),
    email: z.string().nullable(),
    attributes: z.record(z.string(), attributeValue),
    verified: z.boolean(),
    identity: z.object({ sub: z.string(), name: z.string().nullable(), email: z.string().nullable(), verified_at: isoDateTime }).nullable(),
  })
  .meta({ id: 'VisitorProfile' });
export type VisitorProfile = z.infer<typeof VisitorProfile>;

export const WidgetConversations = z
  .object({
    data: z.array(z.object({ session_id: z.string(), status: SessionStatus, last_message: z.string(), last_message_at: isoDateTime })),
  })
  .meta({ id: 'WidgetConversations' });

export const IdentitySecret = z
  .object({ secret: z.string().describe('shown in this response only: sign visitors\' tokens with it (HS256) on the site\'s server') })
  .meta({ id: 'IdentitySecret' });
