// Which database the test servers run on: SQLite (default) or, with BOB_TEST_DB=postgres, a fresh
// copy of a migrated template on the run's throwaway cluster (test/setup/database.ts).
import pg from 'pg';
import { migratePostgres } from '../../src/server/db/migrate-postgres';

export const TEMPLATE = 'bob_template';
export const onPostgres = process.env.BOB_TEST_DB === 'postgres';

/** The URL of database `name` on the cluster of `clusterUrl`. */
export const urlOf = (clusterUrl: string, name: string) => clusterUrl.replace(/\/[^/]*$/, `/${name}`);

/** Runs `fn` with a client connected to `url`, closed afterwards. */
export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Creates the template database with Bob's schema (once per run). */
export async function prepareTemplate(clusterUrl: string): Promise<void> {
  await withClient(clusterUrl, (c) => c.query(`CREATE DATABASE ${TEMPLATE} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`));
  await withClient(urlOf(clusterUrl, TEMPLATE), (c) => migratePostgres(c));
  await withClient(clusterUrl, (c) => c.query(`ALTER DATABASE ${TEMPLATE} WITH IS_TEMPLATE true`));
}

const admin = () => {
  const url = process.env.BOB_TEST_PG_ADMIN;
  if (!url) throw new Error('BOB_TEST_DB=postgres but no test cluster: run the tests through vitest (its global setup starts one)');
  return url;
};

let made = 0;

/** A new database copied from the migrated template; its URL. */
export async function createTestDatabase(): Promise<string> {
  const name = `bob_t_${process.pid}_${++made}_${Date.now() % 100000}`;
  await withClient(admin(), (c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE}`));
  return urlOf(admin(), name);
}

/** A new database without any table (what a restore or a migration needs); its URL. Drop it with dropTestDatabase. */
export async function createEmptyDatabase(): Promise<string> {
  const name = `bob_e_${process.pid}_${++made}_${Date.now() % 100000}`;
  await withClient(admin(), (c) => c.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`));
  return urlOf(admin(), name);
}

/** Drops a database made by createTestDatabase, closing whatever is still connected. */
export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withClient(admin(), (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}
