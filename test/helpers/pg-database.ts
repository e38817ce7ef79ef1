// Migrated PostgreSQL databases on a throwaway cluster, for tests of the server mode's storage.
import pg from 'pg';
import { afterEach } from 'vitest';
import { migratePostgres } from '../../src/server/db/migrate-postgres';
import { postgresStorage, type PostgresStorage } from '../../src/server/storage/pg/postgres';
import { usePgCluster } from './pg-cluster';
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
  const admin = async <T>(fn: (c: pg.Client) => Promise<T>) => {
    const c = new pg.Client({ connectionString: cluster().url });
    await c.connect();
    try {
      return await fn(c);
    } finally {
      await c.end();
    }
  };
  const urlOf = (name: string) => cluster().url.replace(/\/postgres$/, `/${name}`);
  afterEach(async () => {
    for (const { name, db } of open.splice(0)) {
      await db.close();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
  });
  return async (tenants: string[] = ['t1']): Promise<PostgresStorage & { url: string }> => {
    template ??= admin(async (c) => {
      await c.query(`CREATE DATABASE bob_template TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`);
      const t = new pg.Client({ connectionString: urlOf('bob_template') });
      await t.connect();
      try {
        await migratePostgres(t);
      } finally {
        await t.end();
      }
    });
    await template;
    const name = `bob_t_${process.pid}_${++made}`;
    await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE bob_template`));
    const db = postgresStorage(urlOf(name), { size: 5 });
    open.push({ name, db });
    for (const t of tenants) await db.storage.insertInto('tenants').values({ id: t, slug: t, name: t, plan_id: 'pro', created_at: AT, updated_at: AT }).execute();
    return { ...db, url: urlOf(name) };
  };
}
