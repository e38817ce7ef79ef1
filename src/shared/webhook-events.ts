import type { EventType } from './events';

// The events an endpoint can subscribe to (SPEC §11): a declared subset of the event types (the
// compiler rejects anything else), in the order Mission Control and the API list them. Kept free
// of zod so the renderer can import the list without carrying the validator.
export const WEBHOOK_EVENT_TYPES = [
  'session.created',
  'message.created',
  'handoff.requested',
  'session.closed',
  'persona.updated',
  'pricebook.published',
  'catalog.published',
  'credits.threshold',
  'widget_key.revoked',
  'visitor.erased',
  'csat.submitted',
  'callback.requested',
  'callback.answered',
  'session.assigned',
] as const satisfies readonly EventType[];
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];

/** The type of the ping sent by "Send test"; never sent for a real event. */
export const WEBHOOK_TEST_TYPE = 'webhook.test';
