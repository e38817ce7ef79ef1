// `npm run backup -- --to <file> [--from <data dir>]` and `npm run restore -- --from <file> [--to <data dir>]`
// (scripts/run-server-tool.mjs runs this file, built as out/server/backup.js, with the command first).
// Exit codes: 0 done, 1 refused or failed (nothing left behind), 2 wrong arguments.
import path from 'node:path';
import { loadConfig } from '../config';
import { backup, BackupError, restore } from './backup';
import { backupPostgres, restorePostgres } from './backup-postgres';
import { parseFromTo } from './cli-args';

const USAGE = {
  backup: `Usage: npm run backup -- --to <file> [--from <data dir> | --from <postgres:// URL>]

Copies Bob's database (the data dir's bob.sqlite) into one compressed file with a manifest (schema
version, rows per table, checksum). Bob may keep running: the copy is consistent. --from defaults
to the headless server's data dir (BOB_DATA_DIR, else its default); the desktop app's is its
user-data folder (see README, Data). The file must not exist yet.
In the server mode (BOB_DATABASE_URL set, or --from postgres://…) the copy is made with pg_dump
(PostgreSQL's client tools; BOB_PG_BIN names their folder if they are not on PATH).`,
  restore: `Usage: npm run restore -- --from <file> [--to <data dir> | --to <postgres:// URL>]

Restores a backup made by \`npm run backup\` into a data dir without a database (made if missing),
after checking its checksum; a backup from an older Bob is migrated, and every table's rows are
checked against the manifest. --to defaults to the headless server's data dir (BOB_DATA_DIR, else
its default); the desktop app's is its user-data folder. The data dir must not hold a bob.sqlite.
A server-mode backup is restored with pg_restore into an empty PostgreSQL database: --to
postgres://…, or BOB_DATABASE_URL set.`,
};

type Command = keyof typeof USAGE;

/** The arguments, paths resolved against `cwd`, or what `parseFromTo` says instead. */
function parseArgs(argv: string[], cwd: string): { from?: string; to?: string } | { help: true } | { error: string } {
  const args = parseFromTo(argv);
  if ('help' in args || 'error' in args) return args;
  const where = (p: string | undefined) => (p === undefined || isDatabaseUrl(p) ? p : path.resolve(cwd, p));
  return { from: where(args.from), to: where(args.to) };
}

const isDatabaseUrl = (p: string) => /^postgres(ql)?:\/\//.test(p);

const size = (bytes: number) => (bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const command = argv[0];
  if (command !== 'backup' && command !== 'restore') {
    console.error(`The first argument is the command, backup or restore, not ${command ?? 'nothing'}.\n\n${USAGE.backup}\n\n${USAGE.restore}`);
    return 2;
  }
  const usage = USAGE[command as Command];
  // npm runs scripts in the package's folder; a relative path means the folder the user typed it in.
  const args = parseArgs(argv.slice(1), env.INIT_CWD ?? process.cwd());
  if ('help' in args) {
    console.log(usage);
    return 0;
  }
  if ('error' in args) {
    console.error(`${args.error}\n\n${usage}`);
    return 2;
  }
  const need = command === 'backup' ? 'to' : 'from';
  if (!args[need]) {
    console.error(`Missing --${need} <${command === 'backup' ? 'file' : 'backup file'}>\n\n${usage}`);
    return 2;
  }
  try {
    const config = loadConfig(env);
    // The data dir or the PostgreSQL database: given, else the server's (BOB_DATABASE_URL, else BOB_DATA_DIR).
    const where = (command === 'backup' ? args.from : args.to) ?? config.database.url ?? config.dataDir;
    const shown = isDatabaseUrl(where) ? 'the PostgreSQL database' : where;
    if (command === 'backup') {
      const m = isDatabaseUrl(where) ? await backupPostgres({ url: where, to: args.to!, env, attachmentsDir: config.attachments.dir }) : await backup({ from: where, to: args.to!, attachmentsDir: args.from ? undefined : config.attachments.dir });
      const rows = Object.values(m.tables).reduce((a, b) => a + b, 0);
      console.log(`Backed up ${shown} to ${args.to} (schema ${m.schema_version}, ${Object.keys(m.tables).length} tables, ${rows} rows, database ${size(m.database.bytes)}).`);
    } else {
      const r = isDatabaseUrl(where) ? await restorePostgres({ from: args.from!, url: where, env, attachmentsDir: config.attachments.dir }) : await restore({ from: args.from!, to: where, attachmentsDir: args.to ? undefined : config.attachments.dir });
      const migrated = r.migrated.length ? `, migrated from schema ${r.manifest.schema_version} to ${Math.max(...r.migrated)}` : '';
      console.log(`Restored the backup of ${r.manifest.created_at} into ${shown}: checksum and rows of ${Object.keys(r.manifest.tables).length} tables checked${migrated}.`);
    }
    return 0;
  } catch (error) {
    if (error instanceof BackupError) {
      console.error(error.message);
      return 1;
    }
    console.error(`The ${command} failed: ${(error as Error).message}`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
