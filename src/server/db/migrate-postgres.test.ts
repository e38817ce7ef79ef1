// migratePostgres on a throwaway cluster: the baseline on an empty database, recorded under
// SQLite's versions; idempotent; two instances starting together; a database sorting by other rules refused.
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePgCluster } from '../../../test/helpers/pg-cluster';
import { MIGRATIONS_DIR, migrate, migrationFiles } from './migrate';
import { CollationError, migratePostgres, POSTGRES_BASELINE } from './migrate-postgres';
import { useTempDatabase } from '../../../test/helpers/temp-db';

const cluster = usePgCluster();
let admin: pg.Client;
beforeAll(async () => {
  admin = new pg.Client({ connectionString: cluster().url });
  await admin.connect();
});
afterAll(() => admin?.end());
const openSqlite = useTempDatabase();

let n = 0;
async function database(options = '') {
  const name = `m${++n}`;
  await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ${options}`);
  return cluster().url.replace(/\/postgres$/, `/${name}`);
}
async function connect(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return client;
}

describe('migratePostgres', () => {
  it('lays the baseline on an empty database, recorded as SQLite’s versions under their names, once', async () => {
    const client = await connect(await database());
    try {
      const { db } = await openSqlite([]);
      // The baseline stands for 1–11; each later migration has its own PostgreSQL twin.
      expect(await migratePostgres(client)).toEqual(db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all());
      const sqlite = (db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all() as { version: number; name: string }[]);
      const recorded = (await client.query<{ version: number; name: string }>('SELECT version, name FROM schema_migrations ORDER BY version')).rows;
      expect(recorded).toEqual(sqlite);
      expect(await migratePostgres(client)).toEqual([]);
      expect(migrate(db)).toEqual([]); // the SQLite migrator does not see the pg/ folder
    } finally {
      await client.end();
    }
  });

  it('lets two instances starting together take turns: one migrates, the other finds it done', async () => {
    const url = await database();
    const [a, b] = [await connect(url), await connect(url)];
    try {
      const results = await Promise.all([migratePostgres(a), migratePostgres(b)]);
      const { db } = await openSqlite([]);
      const all = (db.prepare('SELECT count(*) FROM schema_migrations').pluck().get() as number);
      expect(results.map((r) => r.length).sort((x, y) => x - y)).toEqual([0, all]);
    } finally {
      await Promise.all([a.end(), b.end()]);
    }
  });

  it('refuses a database that sorts text by other rules than SQLite, saying how to create one', async () => {
    const client = await connect(await database("LOCALE_PROVIDER icu ICU_LOCALE 'en-US'"));
    try {
      await expect(migratePostgres(client)).rejects.toThrow(CollationError);
      await expect(migratePostgres(client)).rejects.toThrow(/LC_COLLATE 'C'/);
      expect((await client.query(`SELECT to_regclass('public.schema_migrations') AS t`)).rows[0].t).toBeNull();
    } finally {
      await client.end();
    }
  });
});

describe('the two sets of migrations', () => {
  it('has a PostgreSQL twin, of the same number and name, for every SQLite migration after the baseline', () => {
    const numbered = (dir: string) => migrationFiles(dir).map((m) => path.basename(m.file));
    const sqlite = numbered(MIGRATIONS_DIR).filter((f) => Number(f.slice(0, 3)) > POSTGRES_BASELINE);
    const postgres = new Set(numbered(path.join(MIGRATIONS_DIR, 'pg')));
    expect(sqlite.filter((f) => !postgres.has(f))).toEqual([]);
    // …and nothing on PostgreSQL alone after the baseline (the versions must stay the same on both).
    expect([...postgres].filter((f) => Number(f.slice(0, 3)) > POSTGRES_BASELINE && !sqlite.includes(f))).toEqual([]);
  });
});
