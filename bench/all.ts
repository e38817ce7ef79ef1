// npm run bench — every benchmark of the speed goals, one after another (never two at once: they
// would measure each other), each in its own process; each writes its section of bench/RESULTS.md.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BENCHES = ['start', 'compression', 'chat', 'search', 'fanout', 'memory', 'scale'];
const root = path.resolve(import.meta.dirname, '..');
const failed: string[] = [];
for (const name of BENCHES) {
  console.log(`\n=== npm run bench:${name}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'bench', `${name}.ts`)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) failed.push(name);
}
console.log(`\nResults: bench/RESULTS.md${failed.length ? `; failed: ${failed.join(', ')}` : ''}`);
process.exit(failed.length ? 1 : 0);
