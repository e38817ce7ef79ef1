import type { BobEvent, EventPayloads, EventType } from '../../../shared/events';

/** Emits an event in a unit of work's run (`tx.emit`); `data` is checked against its type's payload. */
export type Emit = <T extends EventType>(tenantId: string, type: T, data: EventPayloads[T], sessionId?: string | null) => void;
type Listener = (e: BobEvent) => void;

/**
 * In-process publish/subscribe of committed events: the unit of work publishes a run's events,
 * as stored (src/server/modules/events/events.repo.ts), once its transaction has committed; the
 * realtime streams, the desktop shell's tray and the webhook dispatcher listen.
 */
export class EventBus {
  private readonly listeners = new Set<Listener>();

  /** Hands committed events to the live subscribers, in order. */
  publish(events: BobEvent[]) {
    for (const e of events) for (const l of this.listeners) l(e);
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
