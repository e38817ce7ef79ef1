import type { BobEvent } from '../../../shared/events';
import type { AuditEntry, AuditRepo } from '../audit/audit.repo';
import type { WebhookDispatcher } from '../webhooks/webhooks.dispatcher';
import type { WebhooksRepo } from '../webhooks/webhooks.repo';
import type { EventsRepo, NewEvent } from './events.repo';

/** What a unit of work's run leaves besides its writes: the events it emitted and its audit entries. */
export interface RunLog {
  events: NewEvent[];
  audit: AuditEntry[];
}

/** The repositories a run's log is written with (a unit of work's, over its transaction). */
export interface RunLogRepos {
  events: EventsRepo;
  auditLog: Pick<AuditRepo, 'append'>;
  webhooks: Pick<WebhooksRepo, 'enqueue' | 'anyEndpointFor'>;
}

/**
 * How the unit of work writes a run's log as the run ends, in its transaction (its `writeLog`):
 * the audit entries; each event in the event store, then the webhook deliveries it calls for (the
 * outbox: they commit or roll back with the change). The dispatcher is woken to send them; it
 * looks once the transaction has committed.
 */
export function writeRunLog(dispatcher: Pick<WebhookDispatcher, 'wake'>) {
  return async (tx: RunLogRepos, log: RunLog): Promise<BobEvent[]> => {
    if (log.audit.length) await tx.auditLog.append(log.audit);
    if (!log.events.length) return [];
    // Which businesses have endpoints is asked first: storing the events takes their turn among
    // the instances (PostgreSQL), held to the commit, so as little as possible comes after it.
    const hasEndpoints = new Map<string, boolean>();
    for (const e of log.events) await tx.webhooks.anyEndpointFor(e, hasEndpoints);
    const stored = await tx.events.append(log.events);
    let queued = 0;
    for (const e of stored) queued += await tx.webhooks.enqueue(e, hasEndpoints);
    if (queued) dispatcher.wake();
    return stored;
  };
}
