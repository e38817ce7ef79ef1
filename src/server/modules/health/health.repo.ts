import type { Db } from '../../db/client';

/** Whether the database answers a query: throws when it does not. */
export function createHealthRepo(db: Db) {
  const ping = db.prepare('SELECT 1').pluck();
  return { ping: () => void ping.get() };
}

export type HealthRepo = ReturnType<typeof createHealthRepo>;
