// Migrated PostgreSQL databases on a throwaway cluster, for tests of the server mode's storage.
import { afterEach } from 'vitest';
import { postgresStorage, type PostgresStorage } from '../../src/server/storage/pg/postgres';
import { usePgCluster } from './pg-cluster';
import { TEMPLATE, prepareTemplate, urlOf, withClient } from './test-database';
import { AT } from './temp-db';

let made = 0;

/**
 * Call at the top of a test file: `open(tenants)` gives a fresh migrated database (a copy of one
 * migrated template) with those tenants (plan "pro"), closed and dropped after each test.
 */
export function usePgDatabase() {
  const cluster = usePgCluster();
  const open: { name: string; db: PostgresStorage }[] = [];
  let template: Promise<void> | undefined;
  afterEach(async () => {
    for (const { name, db } of open.splice(0)) {
      await db.close();
      await withClient(cluster().url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });
  return async (tenants: string[] = ['t1']): Promise<PostgresStorage & { url: string }> => {
    await (template ??= prepareTemplate(cluster().url));
    const name = `bob_t_${process.pid}_${++made}`;
    await withClient(cluster().url, (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`));
    const url = urlOf(cluster().url, name);
    const db = postgresStorage(url, { size: 5 });
    open.push({ name, db });
    for (const t of tenants) await db.storage.insertInto('tenants').values({ id: t, slug: t, name: t, plan_id: 'pro', created_at: AT, updated_at: AT }).execute();
    return { ...db, url };
  };
}
