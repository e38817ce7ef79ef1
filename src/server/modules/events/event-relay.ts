import type { BobEvent } from '../../../shared/events';
import type { Logger } from '../../logger';
import type { Notifications } from '../../storage/notifications';
import type { EventBus } from './events.bus';
import type { EventsRepo } from './events.repo';

const BATCH = 1000;

/**
 * With several instances on one database (PostgreSQL), the one path by which events reach this
 * instance's bus: in id order, each once, from a watermark (the highest id published here). Its
 * own runs' events come from the unit of work as they commit; the others' are announced by NOTIFY
 * (the last id of each commit) and read from the event store; a poll catches up whatever a lost
 * notification connection missed. Ids follow commit order (see PgUnitOfWork), so reading up to an
 * announced id finds every event below it; an id never seen is a rolled-back run's.
 */
export class EventRelay {
  private watermark = 0;
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: { events: Pick<EventsRepo, 'between' | 'lastId'>; bus: Pick<EventBus, 'publish'>; notifications: Notifications; pollMs: number; logger: Logger }) {}

  /** Listens first, then takes the newest id as the start: nothing committed after it is missed. */
  async start(): Promise<void> {
    await this.deps.notifications.listen('bob_events', (payload) => void this.advanceTo(Number(payload.split(':')[1])));
    this.deps.notifications.onReconnect(() => void this.catchUp());
    this.watermark = await this.deps.events.lastId();
    this.timer = setInterval(() => void this.catchUp(), this.deps.pollMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** This instance's run committed these events: published now if nothing before them is missing. */
  committed(events: BobEvent[]): Promise<void> {
    return this.enqueue(async () => {
      if (events[0]!.id === this.watermark + 1) this.publish(events);
      else await this.fetchUpTo(events.at(-1)!.id);
    });
  }

  advanceTo(id: number): Promise<void> {
    return Number.isSafeInteger(id) ? this.enqueue(() => this.fetchUpTo(id)) : Promise.resolve();
  }

  private async catchUp() {
    try {
      await this.advanceTo(await this.deps.events.lastId());
    } catch (err) {
      this.deps.logger.warn('events could not be caught up', { err: String(err) });
    }
  }

  private enqueue(step: () => Promise<void> | void): Promise<void> {
    const next = this.chain.then(step);
    this.chain = next.catch((err: unknown) => this.deps.logger.error('event relay failed', { err: String(err) }));
    return next;
  }

  private async fetchUpTo(target: number) {
    while (this.watermark < target) {
      const batch = await this.deps.events.between(this.watermark, target, BATCH);
      if (!batch.length) {
        this.watermark = target;
        break;
      }
      this.publish(batch);
    }
  }

  private publish(events: BobEvent[]) {
    // Already published (an announcement of our own commit read meanwhile): only what is newer.
    const fresh = events.filter((e) => e.id > this.watermark);
    if (!fresh.length) return;
    this.watermark = fresh.at(-1)!.id;
    this.deps.bus.publish(fresh);
  }
}
