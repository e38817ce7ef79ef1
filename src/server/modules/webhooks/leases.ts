// Which endpoints this instance may attempt now. Deliveries go out in order per endpoint, so at
// most one attempt per endpoint may be out at a time, across every instance sharing the database:
// an instance attempts an endpoint only while it holds the endpoint's lease.
import type { Storage } from '../../storage/sqlite';
import type { WebhooksRepo } from './webhooks.repo';

/** An endpoint taken by this instance; `token` tells this taking from any later one. */
export interface Lease {
  endpointId: string;
  token: number;
}

export interface LeaseStore {
  /** Endpoints with a due pending delivery and no live lease, now leased to this instance (at most `n`). */
  claim(n: number, now: Date): Promise<Lease[]>;
  /**
   * Still ours? Asked by `settle`, in its run (`tx`): a lease lost to expiry must not record the
   * outcome, since another instance may be attempting the same delivery by now. PostgreSQL: the
   * lease is also given up, with the run.
   */
  holds(tx: Storage, lease: Lease): Promise<boolean>;
  /** Given back (the attempt is recorded, or was not made): another claim may take the endpoint. */
  release(lease: Lease): Promise<void>;
}

/** The attempt's outcome was not recorded: its lease expired meanwhile (see `LeaseStore.holds`). */
export class LeaseLost extends Error {
  constructor(lease: Lease) {
    super(`The lease on webhook endpoint ${lease.endpointId} expired before the attempt was recorded`);
  }
}

/**
 * One process alone on its database (SQLite): the leases are the endpoints it is attempting, and
 * a lease holds until released (nobody else could take it).
 */
export function memoryLeases(repo: Pick<WebhooksRepo, 'heads'>): LeaseStore {
  const leased = new Set<string>();
  let token = 0;
  return {
    async claim(n, now) {
      const nowIso = now.toISOString();
      const leases: Lease[] = [];
      for (const head of await repo.heads(leased)) {
        if (leases.length >= n) break;
        if (head.next_attempt_at > nowIso) continue;
        leased.add(head.endpoint_id);
        leases.push({ endpointId: head.endpoint_id, token: ++token });
      }
      return leases;
    },
    holds: () => Promise.resolve(true),
    release(lease) {
      leased.delete(lease.endpointId);
      return Promise.resolve();
    },
  };
}
