import type { Db } from '../../db/client';

export type AppSettingsRepo = ReturnType<typeof createAppSettingsRepo>;

/** Settings of this Bob as a whole (not of a tenant): one JSON value per key. */
export function createAppSettingsRepo(db: Db) {
  const read = db.prepare<[string], string>('SELECT value FROM app_settings WHERE key = ?').pluck();
  const write = db.prepare(
    'INSERT INTO app_settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const writeOnce = db.prepare('INSERT OR IGNORE INTO app_settings (key, value, updated_at) VALUES (?, ?, ?)');
  return {
    /** The stored JSON text, or undefined. */
    get: (key: string) => read.get(key),
    put: (key: string, json: string, at: string) => void write.run(key, json, at),
    /** Stores `json` unless the key already has a value (which then stays). */
    putIfAbsent: (key: string, json: string, at: string) => void writeOnce.run(key, json, at),
  };
}
