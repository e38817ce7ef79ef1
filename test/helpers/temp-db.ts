// A migrated SQLite database in a temp dir, for tests of the storage layer and of repositories.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../src/server/db/client';
import { migrate } from '../../src/server/db/migrate';
import { sqliteStorage, type Storage } from '../../src/server/storage/sqlite';

export const AT = '2026-11-01T00:00:00.000Z';

/**
 * Call at the top of a test file: `open(tenants)` gives a fresh migrated database with those
 * tenants (plan "pro"), closed and removed after each test.
 */
export function useTempDatabase() {
  const open: { db: Db; dir: string }[] = [];
  afterEach(() => {
    for (const { db, dir } of open.splice(0)) {
      closeDatabase(db);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
  return async (tenants: string[] = ['t1']): Promise<{ db: Db; storage: Storage }> => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-db-'));
    const db = openDatabase(dir);
    open.push({ db, dir });
    migrate(db);
    const storage = sqliteStorage(db);
    for (const t of tenants) await storage.insertInto('tenants').values({ id: t, slug: t, name: t, plan_id: 'pro', created_at: AT, updated_at: AT }).execute();
    return { db, storage };
  };
}
