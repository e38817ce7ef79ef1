import type { Storage } from '../../storage/sqlite';

/** Whether the database answers a query: rejects when it does not. */
export function createHealthRepo(db: Storage) {
  return {
    ping: async () => {
      await db.selectNoFrom((eb) => eb.lit(1).as('one')).executeTakeFirstOrThrow();
    },
  };
}

export type HealthRepo = ReturnType<typeof createHealthRepo>;
