// The event contract is checked by the compiler (`npm run typecheck` reads this file): these
// assertions fail the type check, not the run, when the lists and the payloads drift apart. The
// runtime part checks what the types cannot: no type listed twice.
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { Emit } from '../server/modules/events/events.bus';
import { EVENT_TYPES, type BobEvent, type EventOf, type EventPayloads, type EventType } from './events';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './webhook-events';

describe('the event types', () => {
  it('lists every event type once, and nothing else', () => {
    expectTypeOf<(typeof EVENT_TYPES)[number]>().toEqualTypeOf<EventType>();
    expect(new Set(EVENT_TYPES).size).toBe(EVENT_TYPES.length);
  });

  it('gives every event type exactly one payload type', () => {
    // Each member of the union is one type with its own payload: narrowing by `type` reaches exactly it.
    type PayloadOf<T extends EventType> = Extract<BobEvent, { type: T }>['data'];
    expectTypeOf<{ [T in EventType]: PayloadOf<T> }>().toEqualTypeOf<EventPayloads>();
    expectTypeOf<{ [T in EventType]: Extract<BobEvent, { type: T }> }>().toEqualTypeOf<{ [T in EventType]: EventOf<T> }>();
    expectTypeOf<BobEvent['type']>().toEqualTypeOf<EventType>();
  });

  it('keeps the webhook events a subset of the event types', () => {
    expectTypeOf<WebhookEventType>().toExtend<EventType>();
    expect(new Set(WEBHOOK_EVENT_TYPES).size).toBe(WEBHOOK_EVENT_TYPES.length);
    for (const type of WEBHOOK_EVENT_TYPES) expect(EVENT_TYPES).toContain(type);
    // The events no endpoint can subscribe to: status changes reach integrations through the events that matter (handoff, close);
    // callback.offered only tells the visitor's widget to show its form (#23); seen receipts are presence within a conversation, for its two sides only.
    expect(EVENT_TYPES.filter((t) => !(WEBHOOK_EVENT_TYPES as readonly EventType[]).includes(t))).toEqual(['session.updated', 'session.seen', 'callback.offered'].sort((a, b) => EVENT_TYPES.indexOf(a as EventType) - EVENT_TYPES.indexOf(b as EventType)));
  });

  it('checks what is emitted against its type\'s payload', () => {
    const emitted: [EventType, unknown][] = [];
    const emit: Emit = (_tenantId, type, data) => void emitted.push([type, data]);
    emit('t1', 'widget_key.revoked', { id: 'k1', label: 'Site' });
    // @ts-expect-error: another type's payload
    emit('t1', 'widget_key.revoked', { percent: 80, used: 8, allowance: 10, month: '2026-11' });
    // @ts-expect-error: not an event type
    emit('t1', 'widget_key.created', { id: 'k1', label: 'Site' });
    expect(emitted.map(([type]) => type)).toEqual(['widget_key.revoked', 'widget_key.revoked', 'widget_key.created']);
  });
});
