// npm run bench:compare -- <other checkout> — the chat benchmark of this checkout against another
// one (e.g. a worktree of the commit before a change: `git worktree add ../before <commit>`, then
// `npm run build` there), in the same run: both compiled servers, bare Koa and the load generator
// each in their own process, rounds interleaved (A, B, A, B, …) so the machine's drift hits both
// alike; every request a new visitor. Prints the medians and each round.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { clean, combine, machine, ORIGIN, prepareBusiness, runLoad, spawnEcho, statusMix, type LoadResult, type LoadSpec, type Proc } from './harness';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 10);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const CONNECTIONS = 50;

/** The compiled server of a checkout, on a fresh data dir with the demo data, as bench/harness.ts's spawnBob. */
async function spawnCheckout(root: string): Promise<Proc> {
  const server = path.join(root, 'out', 'server', 'main.js');
  if (!fs.existsSync(server)) throw new Error(`${server} is missing: run \`npm run build\` in ${root}`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-compare-'));
  const child = spawn(process.execPath, [server], {
    cwd: root,
    env: { ...process.env, BOB_DATA_DIR: dataDir, BOB_HOST: '127.0.0.1', BOB_PORT: '0', BOB_TRUST_PROXY: '1', BOB_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /Bob listening on (http:\/\/\S+)/.exec(line);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${server} exited with ${code}`)));
  });
  return {
    url,
    pid: child.pid!,
    child,
    async stop() {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function main() {
  const other = process.argv[2];
  if (!other) throw new Error('usage: npm run bench:compare -- <path of another checkout, built>');
  const roots = { other: path.resolve(other), this: path.resolve(import.meta.dirname, '..') };
  const [a, b, koa] = [await spawnCheckout(roots.other), await spawnCheckout(roots.this), await spawnEcho('koa')];
  try {
    const [ka, kb] = [(await prepareBusiness(a)).key, (await prepareBusiness(b)).key];
    const targets: Record<string, LoadSpec> = {
      'bare Koa 3 JSON echo': { url: `${koa.url}/`, body: 'chat' },
      'other: POST /api/widget/chat': { url: `${a.url}/api/widget/chat`, body: 'chat', headers: { 'x-widget-key': ka, origin: ORIGIN }, distinctAddresses: true },
      'this: POST /api/widget/chat': { url: `${b.url}/api/widget/chat`, body: 'chat', headers: { 'x-widget-key': kb, origin: ORIGIN }, distinctAddresses: true },
      'other: POST /api/chat': { url: `${a.url}/api/chat`, body: 'chat', businessId: 'business-co', distinctAddresses: true },
      'this: POST /api/chat': { url: `${b.url}/api/chat`, body: 'chat', businessId: 'business-co', distinctAddresses: true },
    };
    for (const spec of Object.values(targets)) await runLoad({ ...spec, connections: CONNECTIONS, durationS: 2 }); // warm-up
    const rounds: Record<string, LoadResult[]> = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
    for (let r = 0; r < ROUNDS; r++) for (const [name, spec] of Object.entries(targets)) rounds[name]!.push(await runLoad({ ...spec, connections: CONNECTIONS, durationS: DURATION_S }));
    console.log(`\n${machine()}; ${CONNECTIONS} connections, ${ROUNDS} interleaved rounds of ${DURATION_S} s; other = ${roots.other}, this = ${roots.this}\n`);
    console.log('| | req/s (median) | p50 | p99 | responses | each round |\n|---|---|---|---|---|---|');
    for (const [name, rs] of Object.entries(rounds)) {
      const r = combine(rs);
      console.log(`| ${name} | ${Math.round(r.rps).toLocaleString('en')} | ${r.p50} ms | ${r.p99} ms | ${statusMix(r)}${clean(r) ? '' : ' — **does not count**'} | ${rs.map((x) => Math.round(x.rps)).join(', ')} |`);
    }
    for (const path of ['POST /api/widget/chat', 'POST /api/chat']) {
      const [o, t] = [combine(rounds[`other: ${path}`]!), combine(rounds[`this: ${path}`]!)];
      console.log(`\n${path}: this is ${(((t.rps - o.rps) / o.rps) * 100).toFixed(1)} % against the other (medians)`);
    }
  } finally {
    await Promise.all([a.stop(), b.stop(), koa.stop()]);
  }
}

void main();
