import { dialectOf } from '../../storage/dialect';
import type { Storage } from '../../storage/sqlite';

export type AppSettingsRepo = ReturnType<typeof createAppSettingsRepo>;

/** Settings of this Bob as a whole (not of a tenant): one JSON value per key. */
export function createAppSettingsRepo(db: Storage) {
  return {
    /** The stored JSON text, or undefined. */
    get: async (key: string): Promise<string | undefined> => (await db.selectFrom('app_settings').select('value').where('key', '=', key).executeTakeFirst())?.value,
    put: async (key: string, json: string, at: string) => {
      await db
        .insertInto('app_settings')
        .values({ key, value: json, updated_at: at })
        .onConflict((oc) => oc.column('key').doUpdateSet((eb) => ({ value: eb.ref('excluded.value'), updated_at: eb.ref('excluded.updated_at') })))
        .execute();
      // Instances on the same database keep settings in memory: they reload once this commits.
      await dialectOf(db).announce(db, 'bob_settings', key);
    },
    /** In a run: instances sharing a PostgreSQL database take turns here until it commits (nothing on SQLite). */
    takeTurns: (name: string) => dialectOf(db).takeTurns(db, name),
    /** Stores `json` unless the key already has a value (which then stays). */
    putIfAbsent: async (key: string, json: string, at: string) => {
      await db.insertInto('app_settings').values({ key, value: json, updated_at: at }).onConflict((oc) => oc.column('key').doNothing()).execute();
    },
  };
}
