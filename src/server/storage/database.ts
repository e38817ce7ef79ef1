import type { BobEvent } from '../../shared/events';
import type { Config } from '../config';
import { closeDatabase, openDatabase, type Db } from '../db/client';
import { migrate } from '../db/migrate';
import { migratePostgres } from '../db/migrate-postgres';
import type { Logger } from '../logger';
import { sqliteDialect, type SqlDialect } from './dialect';
import { noNotifications, type Notifications } from './notifications';
import { pgNotifications } from './pg/notifications';
import { postgresDialect } from './pg/dialect';
import { postgresStorage } from './pg/postgres';
import { PgUnitOfWork } from './pg/unit-of-work';
import { sqliteStorage, type Storage } from './sqlite';
import { SqliteUnitOfWork, type UnitOfWork, type WriteLog } from './unit-of-work';

export type DatabaseKind = 'sqlite' | 'postgres';

/**
 * Bob's database, whichever it is: the embedded SQLite file (the desktop, `npm start`) or
 * PostgreSQL (BOB_DATABASE_URL: the server mode, several instances on one database).
 */
export interface BobDatabase {
  kind: DatabaseKind;
  storage: Storage;
  dialect: SqlDialect;
  /** SQLite's connection (the desktop's tray reads, benches, the storage's own tests); absent on PostgreSQL. */
  sqlite?: Db;
  /** What other instances announce (see notifications.ts); nothing on SQLite. */
  notifications: Notifications;
  /**
   * The unit of work over this database (see unit-of-work.ts): on SQLite runs share a
   * transaction per turn (group commit); on PostgreSQL each run is its own, retried when it lost
   * a race. `publish` gets each run's stored events after its commit, before `run` resolves.
   */
  unitOfWork<R>(deps: { now: () => Date; repos: (db: Storage) => R; writeLog: WriteLog<R>; publish: (events: BobEvent[]) => void | Promise<void> }): UnitOfWork<R>;
  close(): Promise<void>;
}

/** Opens and migrates the database the configuration names; `migrated`: the versions applied now. */
export async function openBobDatabase(opts: { config: Config; logger: Logger; nativeBinding?: string; migrationsDir?: string }): Promise<{ database: BobDatabase; migrated: number[] }> {
  const { config, logger } = opts;
  if (config.database.url) {
    const pg = postgresStorage(config.database.url, { size: config.database.poolSize, name: `bob:${config.instanceId}`.slice(0, 63) });
    let migrated: number[];
    try {
      const client = pg.client();
      await client.connect();
      try {
        migrated = await migratePostgres(client, opts.migrationsDir);
      } finally {
        await client.end();
      }
    } catch (err) {
      await pg.close();
      throw err;
    }
    const notifications = pgNotifications(() => pg.client(), logger);
    const database: BobDatabase = {
      kind: 'postgres',
      storage: pg.storage,
      dialect: postgresDialect,
      notifications,
      unitOfWork: (deps) => new PgUnitOfWork({ storage: pg.storage, now: deps.now, repos: deps.repos, writeLog: deps.writeLog, committed: async (events) => deps.publish(events) }),
      async close() {
        await notifications.close();
        await pg.close();
      },
    };
    return { database, migrated };
  }
  const db = openDatabase(config.dataDir, { nativeBinding: opts.nativeBinding });
  let migrated: number[];
  try {
    migrated = migrate(db, opts.migrationsDir);
  } catch (err) {
    closeDatabase(db);
    throw err;
  }
  const storage = sqliteStorage(db);
  const database: BobDatabase = {
    kind: 'sqlite',
    storage,
    dialect: sqliteDialect,
    sqlite: db,
    notifications: noNotifications,
    unitOfWork: (deps) => new SqliteUnitOfWork({ storage, now: deps.now, repos: deps.repos, writeLog: deps.writeLog, bus: { publish: (events) => void deps.publish(events) } }),
    close: async () => closeDatabase(db),
  };
  return { database, migrated };
}
