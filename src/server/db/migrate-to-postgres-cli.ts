// `npm run migrate-to-postgres -- --from <data dir> --to <postgres url> [--files <dir>]` (scripts/migrate-to-postgres.mjs
// runs this file, built as out/server/migrate-to-postgres.js). Exit codes: 0 copied and committed,
// 1 refused or different (nothing committed), 2 wrong arguments.
import path from 'node:path';
import { parseFromTo } from './cli-args';
import { migrateToPostgres, MigrationError } from './migrate-to-postgres';

const USAGE = `Usage: npm run migrate-to-postgres -- --from <data dir> --to <postgres://user:password@host:port/database> [--files <folder>]

Copies everything in a Bob data dir (its bob.sqlite) into an empty PostgreSQL database, checks
every table, and commits only when they all match. Stop Bob first; start it once on the data dir
beforehand if it was last used by an older version.

--files: the folder the server's instances share as BOB_ATTACHMENTS_DIR (default: BOB_ATTACHMENTS_DIR
if set). The files sent in conversations (the data dir's attachments folder) are copied there and
checked before the commit; required when the data dir has any.`;

interface CliArgs {
  from: string;
  to: string;
  files?: string;
}

/** The arguments, or the message saying what is wrong with them. `help` asks for the usage. */
function parseArgs(argv: string[], cwd: string, env: NodeJS.ProcessEnv): CliArgs | { help: true } | { error: string } {
  const values = parseFromTo(argv, ['files']);
  if ('help' in values || 'error' in values) return values;
  if (!values.from) return { error: 'Missing --from <data dir>' };
  if (!values.to) return { error: 'Missing --to <postgres url>' };
  if (!/^postgres(ql)?:\/\//.test(values.to)) return { error: `--to must be a postgres:// or postgresql:// URL, not ${values.to}` };
  const files = values.files ?? (env.BOB_ATTACHMENTS_DIR?.trim() || undefined);
  return { from: path.resolve(cwd, values.from), to: values.to, ...(files && { files: path.resolve(cwd, files) }) };
}

async function main(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // npm runs scripts in the package's folder; a relative --from means the folder the user typed it in.
  const args = parseArgs(argv, env.INIT_CWD ?? process.cwd(), env);
  if ('help' in args) {
    console.log(USAGE);
    return 0;
  }
  if ('error' in args) {
    console.error(`${args.error}\n\n${USAGE}`);
    return 2;
  }
  try {
    const report = await migrateToPostgres({ ...args, log: (line) => console.log(line) });
    if (!report.committed) return 1;
    console.log(`\nStart Bob on PostgreSQL with:\n  ${report.env}`);
    return 0;
  } catch (error) {
    if (error instanceof MigrationError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
