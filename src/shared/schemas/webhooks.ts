import { z } from 'zod';
import { WEBHOOK_EVENT_TYPES } from '../webhook-events';
import { isoDateTime, uuid } from './common';

export { WEBHOOK_EVENT_TYPES, WEBHOOK_TEST_TYPE } from '../webhook-events';

export const WebhookEventType = z.enum(WEBHOOK_EVENT_TYPES);
export type WebhookEventType = z.infer<typeof WebhookEventType>;

export const WebhookEndpoint = z
  .object({
    id: uuid,
    url: z.string(),
    description: z.string(),
    events: z.array(WebhookEventType),
    enabled: z.boolean(),
    disabled_reason: z.string().nullable().describe('why Bob turned the endpoint off (410 Gone, retries exhausted); null when enabled or turned off by a person'),
    disabled_at: isoDateTime.nullable(),
    secret_hint: z.string().describe('the last characters of the signing secret, to tell secrets apart'),
    previous_secret_expires_at: isoDateTime.nullable().describe('after a rotation the old secret also signs until then'),
    pending: z.number().int().describe('deliveries waiting (in order) for this endpoint'),
    failed: z.number().int().describe('deliveries that gave up; sent again, first, when the endpoint is turned back on'),
    waiting: z.number().int().describe('events not yet delivered (waiting, or given up on while the endpoint is off): they go out in order when it is on'),
    dropped: z.number().int().describe('events that fell off the queue while it could not deliver (more than 10,000 waiting, or older than 30 days)'),
    last_delivery_at: isoDateTime.nullable(),
    created_at: isoDateTime,
    updated_at: isoDateTime,
  })
  .meta({ id: 'WebhookEndpoint' });
export type WebhookEndpoint = z.infer<typeof WebhookEndpoint>;

export const WebhookList = z
  .object({
    data: z.array(WebhookEndpoint),
    next_cursor: z.null(),
    integrations: z.object({ used: z.number().int(), limit: z.number().int() }).describe('endpoints in use against the plan\'s integrations'),
  })
  .meta({ id: 'WebhookList' });
export type WebhookList = z.infer<typeof WebhookList>;

export const WebhookEndpointWithSecret = WebhookEndpoint.extend({
  secret: z.string().describe('whsec_…: shown only in this response; store it in the receiving system'),
}).meta({ id: 'WebhookEndpointWithSecret' });
export type WebhookEndpointWithSecret = z.infer<typeof WebhookEndpointWithSecret>;

const url = z
  .string()
  .trim()
  .max(2000)
  .regex(/^https?:\/\//i, 'must start with http:// or https://')
  .pipe(z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }))
  .refine((u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password), {
    message: 'Webhook URLs cannot contain a user name or password: the signature tells the receiver the call is from Bob',
  })
  .describe('http(s), no user name or password; the host must be a public address (checked against its DNS answers at save and at every delivery) unless the server sets BOB_ALLOW_PRIVATE_WEBHOOKS=1');
const events = z
  .array(WebhookEventType)
  .min(1, 'choose at least one event')
  .transform((list) => [...new Set(list)]);

export const WebhookCreate = z
  .object({
    url,
    events: events.default([...WEBHOOK_EVENT_TYPES]),
    description: z.string().trim().max(200).default(''),
    enabled: z.boolean().default(true),
  })
  .meta({ id: 'WebhookCreate' });
export type WebhookCreate = z.infer<typeof WebhookCreate>;

export const WebhookPatch = z
  .object({
    url: url.optional(),
    events: events.optional(),
    description: z.string().trim().max(200).optional(),
    enabled: z.boolean().optional().describe('true also clears the reason Bob turned it off; waiting deliveries resume in order'),
  })
  .meta({ id: 'WebhookPatch' });
export type WebhookPatch = z.infer<typeof WebhookPatch>;

export const WebhookAttempt = z
  .object({
    at: isoDateTime,
    duration_ms: z.number().int(),
    url: z.string(),
    response_status: z.number().int().nullable(),
    response_body: z.string().nullable().describe('the first 1 KiB of the response'),
    error: z.string().nullable().describe('network error, timeout, or why a redirect was not followed'),
  })
  .meta({ id: 'WebhookAttempt' });

export const WebhookDelivery = z
  .object({
    id: z.number().int(),
    msg_id: z.string().describe('the webhook-id header: the same on every attempt, for de-duplication'),
    type: z.string(),
    status: z.enum(['pending', 'delivered', 'failed']),
    attempts: z.number().int(),
    next_attempt_at: isoDateTime.nullable(),
    last_attempt_at: isoDateTime.nullable(),
    last_status: z.number().int().nullable(),
    last_error: z.string().nullable(),
    created_at: isoDateTime,
    delivered_at: isoDateTime.nullable(),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookDeliveryDetail = WebhookDelivery.extend({
  request: z.object({ url: z.string(), headers: z.record(z.string(), z.string()), body: z.string() }),
  attempt_log: z.array(WebhookAttempt),
}).meta({ id: 'WebhookDeliveryDetail' });
export type WebhookDeliveryDetail = z.infer<typeof WebhookDeliveryDetail>;
