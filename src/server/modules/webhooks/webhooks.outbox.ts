import type { BobEvent } from '../../../shared/events';
import type { WebhookDispatcher } from './webhooks.dispatcher';
import type { WebhooksRepo } from './webhooks.repo';

/**
 * The webhook outbox as the event bus calls it, inside the transaction that stores the event: the
 * deliveries for the endpoints subscribed to it are written there (they commit or roll back with the
 * change), and the dispatcher is woken to send them once the transaction has committed.
 *
 * Synchronous on purpose, and the module's one synchronous write (`enqueueNow`): the event store
 * writes events synchronously, so its emitter cannot wait for a promise.
 */
export function webhookOutbox(repo: Pick<WebhooksRepo, 'enqueueNow'>, dispatcher: Pick<WebhookDispatcher, 'wake'>): (e: BobEvent) => void {
  return (e) => {
    if (repo.enqueueNow(e) > 0) dispatcher.wake();
  };
}
