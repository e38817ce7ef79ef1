#!/usr/bin/env node
// `npm run test:reliability [-- --full]` (issue #15): the reliability suite against the real
// server in its own processes: crash (kill -9 mid-load), webhook outage, hostile input, slow
// clients. Each part prints one "[reliability] …" line with its figures and asserts them.
// The short form also runs inside `npm test`; --full sets BOB_RELIABILITY=full for the full sizes.
// Other arguments go to vitest (e.g. a file filter: `-- --full crash`).
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const full = args.includes('--full');
const rest = args.filter((a) => a !== '--full');
// Set either way: run on its own, the suite also asserts its latency figure (test/reliability/lib.ts).
const env = { ...process.env, BOB_RELIABILITY: full ? 'full' : 'short' };
console.log(`Reliability suite (${full ? 'full' : 'short'} form)${process.env.BOB_RELIABILITY_SEED ? `, seed ${process.env.BOB_RELIABILITY_SEED}` : ''}`);
const started = Date.now();
// One file at a time: each part loads the machine on its own, and their figures stay comparable.
const r = spawnSync('npx', ['vitest', 'run', '--no-file-parallelism', ...(rest.length ? rest.map((f) => (f.startsWith('-') ? f : `test/reliability/${f}`)) : ['test/reliability'])], {
  stdio: 'inherit',
  env,
});
console.log(`Reliability suite: ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.exit(r.status ?? 1);
