#!/usr/bin/env node
// `npm run migrate-to-postgres -- --from <data dir> --to <postgres url>`: copies a desktop data dir
// into an empty PostgreSQL database (src/server/db/migrate-to-postgres.ts), through the shared
// runner of the server's tools (scripts/run-server-tool.mjs).
import { runServerTool } from './run-server-tool.mjs';

await runServerTool('migrate-to-postgres', process.argv.slice(2));
