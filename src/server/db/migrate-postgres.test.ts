// migratePostgres on a throwaway cluster: the baseline on an empty database, recorded under
// SQLite's versions; idempotent; two instances starting together; a database sorting by other rules refused.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePgCluster } from '../../../test/helpers/pg-cluster';
import { MIGRATIONS_DIR, migrate } from './migrate';
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

// The versions a fresh database gets: SQLite's 1–11 (the baseline), then PostgreSQL's own later migrations.
const LATER = fs
  .readdirSync(path.join(MIGRATIONS_DIR, 'pg'))
  .filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f) && Number(f.slice(0, 3)) > POSTGRES_BASELINE)
  .map((f) => Number(f.slice(0, 3)))
  .sort((a, b) => a - b);
const ALL_VERSIONS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ...LATER];

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
      expect(await migratePostgres(client)).toEqual(ALL_VERSIONS);
      const { db } = await openSqlite([]);
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
      expect(results.map((r) => r.length).sort((a, b) => a - b)).toEqual([0, ALL_VERSIONS.length]);
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
    const numbered = (dir: string) => fs.readdirSync(dir).filter((f) => /^\d{3}-[a-z0-9-]+\.sql$/.test(f));
    const sqlite = numbered(MIGRATIONS_DIR).filter((f) => Number(f.slice(0, 3)) > POSTGRES_BASELINE);
    const postgres = new Set(numbered(path.join(MIGRATIONS_DIR, 'pg')));
    expect(sqlite.filter((f) => !postgres.has(f))).toEqual([]);
    // …and nothing on PostgreSQL alone after the baseline (the versions must stay the same on both).
    expect([...postgres].filter((f) => Number(f.slice(0, 3)) > POSTGRES_BASELINE && !sqlite.includes(f))).toEqual([]);
  });
});
