import { sql } from 'kysely';
import type { Lease, LeaseStore } from '../../modules/webhooks/leases';
import type { Storage } from '../sqlite';

/**
 * Webhook endpoint leases shared by the instances on one PostgreSQL database (`webhook_leases`).
 * A lease lasts `leaseMs` of the database's time (`now()`: the instances' clocks do not matter);
 * an attempt is bounded well within it, so a lease is never renewed, and the endpoint of an
 * instance killed mid-attempt is taken by another once its lease has run out.
 */
export function pgLeases(storage: Storage, instanceId: string, leaseMs: number): LeaseStore {
  return {
    // One statement, so one transaction. The endpoints are chosen under a row lock and SKIP LOCKED,
    // so two instances claiming at once never wait for each other nor take the same endpoint.
    // NO KEY UPDATE rather than UPDATE: it excludes the other claims just the same, without
    // holding up the deliveries queued meanwhile (their foreign key takes KEY SHARE on the
    // endpoint). The statement's snapshot may predate a lease another instance committed after
    // it began: ON CONFLICT … WHERE sees the committed row, and a live lease is never taken over.
    // `now` is the dispatcher's clock, which decides when a delivery is due (as on SQLite).
    async claim(n, now) {
      if (n <= 0) return [];
      const { rows } = await sql<{ endpoint_id: string; token: number }>`
        WITH chosen AS (
          SELECT e.id FROM webhook_endpoints e
           WHERE e.enabled
             AND NOT EXISTS (SELECT 1 FROM webhook_leases l WHERE l.endpoint_id = e.id AND l.until_at > now())
             AND (SELECT d.next_attempt_at FROM webhook_deliveries d
                   WHERE d.endpoint_id = e.id AND d.status = 'pending' ORDER BY d.id LIMIT 1) <= ${now.toISOString()}
           ORDER BY e.id
           LIMIT ${n}
           FOR NO KEY UPDATE OF e SKIP LOCKED)
        INSERT INTO webhook_leases (endpoint_id, owner, token, until_at)
        SELECT id, ${instanceId}, nextval('webhook_lease_token'), now() + ${leaseMs}::double precision * interval '1 millisecond' FROM chosen
        ON CONFLICT (endpoint_id) DO UPDATE SET owner = excluded.owner, token = excluded.token, until_at = excluded.until_at
         WHERE webhook_leases.until_at <= now()
        RETURNING endpoint_id, token`.execute(storage);
      return rows.map((r) => ({ endpointId: r.endpoint_id, token: r.token }));
    },
    // Fencing: the lease is given up in the run that records the outcome; no row means it ran out
    // and may be someone else's now.
    async holds(tx, lease) {
      const { rows } = await sql`DELETE FROM webhook_leases WHERE endpoint_id = ${lease.endpointId} AND token = ${lease.token} RETURNING 1`.execute(tx);
      return rows.length > 0;
    },
    async release(lease: Lease) {
      await sql`DELETE FROM webhook_leases WHERE endpoint_id = ${lease.endpointId} AND token = ${lease.token}`.execute(storage);
    },
  };
}
