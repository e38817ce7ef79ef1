import type { BobEvent } from '../../../shared/events';
import type { WebhookDispatcher } from './webhooks.dispatcher';
import type { WebhooksRepo } from './webhooks.repo';

/**
 * The webhook outbox as the event bus calls it, inside the transaction that stores the event: the
 * deliveries for the endpoints subscribed to it are written there (they commit or roll back with the
 * change), and the dispatcher is woken to send them once the transaction has committed.
 */
export function webhookOutbox(repo: Pick<WebhooksRepo, 'enqueue'>, dispatcher: Pick<WebhookDispatcher, 'wake'>): (e: BobEvent) => void {
  return (e) => {
    if (repo.enqueue(e) > 0) dispatcher.wake();
  };
}
