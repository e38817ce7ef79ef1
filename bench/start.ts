// npm run bench:start — how long Bob takes from spawn to a healthy GET /api/health (200), on a
// fresh data dir (migrations and the demo seed) and on an existing one, and its idle RSS 3 s
// after it is healthy: the compiled server (`node out/server/main.js`, what production runs)
// beside the same server run through tsx (`node --import tsx src/server/main.ts`), interleaved
// rounds, every server in its own process on a loopback port. Goal: fresh start ≤ 500 ms and idle
// RSS ≤ 100 MB for the compiled server.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { COMPILED_SERVER, machine, median, recordResults, rssMb } from './harness';

const ROOT = path.resolve(import.meta.dirname, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const POLL_MS = 10;
const SETTLE_MS = 3000;
const GOAL_START_MS = 500;
const GOAL_RSS_MB = 100;

type Variant = 'compiled' | 'tsx';
const ARGS: Record<Variant, string[]> = {
  compiled: [COMPILED_SERVER],
  tsx: ['--import', 'tsx', path.join(ROOT, 'src', 'server', 'main.ts')],
};

/** A port nobody listens on right now (the server is told it, so polling can start at spawn). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** GET `url`'s status, or 0 while nothing listens (node:http: lighter per poll than fetch). */
function healthStatus(url: string): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
    });
    req.once('error', () => resolve(0));
  });
}

interface Run {
  ms: number;
  rss: number;
}

/** Spawns the server on `dataDir`, times spawn → first 200 from /api/health, reads RSS after the settle, stops it. */
async function startOnce(variant: Variant, dataDir: string, measureRss = true): Promise<Run> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/api/health`;
  const t0 = performance.now();
  const child = spawn(process.execPath, ARGS[variant], {
    cwd: ROOT,
    env: { ...process.env, BOB_DATA_DIR: dataDir, BOB_HOST: '127.0.0.1', BOB_PORT: String(port), BOB_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let exited: number | null | undefined;
  const gone = new Promise<void>((resolve) => child.once('exit', (code) => ((exited = code), resolve())));
  try {
    let ms = NaN;
    for (;;) {
      if (exited !== undefined) throw new Error(`${variant} server exited with ${exited} before it was healthy`);
      if ((await healthStatus(url)) === 200) {
        ms = performance.now() - t0;
        break;
      }
      if (performance.now() - t0 > 60_000) throw new Error(`${variant} server not healthy within 60 s`);
      await sleep(POLL_MS);
    }
    let rss = NaN;
    if (measureRss) {
      await sleep(SETTLE_MS);
      rss = rssMb(child.pid!);
    }
    return { ms, rss };
  } finally {
    if (exited === undefined) {
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(kill);
    }
  }
}

const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'bob-bench-start-'));

async function main() {
  if (!fs.existsSync(COMPILED_SERVER)) {
    console.error('The compiled server is missing: run `npm run build` first (out/server/main.js).');
    process.exit(1);
  }
  const loadBefore = os.loadavg()[0]!;
  const variants: Variant[] = ['compiled', 'tsx'];
  const fresh: Record<Variant, Run[]> = { compiled: [], tsx: [] };
  const existing: Record<Variant, Run[]> = { compiled: [], tsx: [] };
  const existingDirs: Record<Variant, string> = { compiled: tempDir(), tsx: tempDir() };
  const dirs = [...Object.values(existingDirs)];
  try {
    // The existing data dirs get their migrations and demo seed first (not counted).
    for (const v of variants) await startOnce(v, existingDirs[v], false);
    for (let round = 0; round < ROUNDS; round++) {
      for (const v of variants) {
        const dir = tempDir();
        dirs.push(dir);
        fresh[v].push(await startOnce(v, dir));
        console.log(`round ${round + 1}/${ROUNDS} ${v}: fresh ${fresh[v].at(-1)!.ms.toFixed(0)} ms, ${fresh[v].at(-1)!.rss.toFixed(1)} MB`);
        existing[v].push(await startOnce(v, existingDirs[v]));
        console.log(`round ${round + 1}/${ROUNDS} ${v}: existing ${existing[v].at(-1)!.ms.toFixed(0)} ms, ${existing[v].at(-1)!.rss.toFixed(1)} MB`);
      }
    }
  } finally {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }

  const ms = (x: number) => `${Math.round(x)} ms`;
  const mb = (x: number) => `${x.toFixed(1)} MB`;
  const stats = (v: Variant) => {
    const all = [...fresh[v], ...existing[v]].map((r) => r.rss);
    return {
      freshMed: median(fresh[v].map((r) => r.ms)),
      freshMax: Math.max(...fresh[v].map((r) => r.ms)),
      existMed: median(existing[v].map((r) => r.ms)),
      existMax: Math.max(...existing[v].map((r) => r.ms)),
      rssMed: median(all),
      rssMax: Math.max(...all),
    };
  };
  const c = stats('compiled');
  const t = stats('tsx');
  const row = (name: string, s: ReturnType<typeof stats>) =>
    `| ${name} | ${ms(s.freshMed)} | ${ms(s.freshMax)} | ${ms(s.existMed)} | ${ms(s.existMax)} | ${mb(s.rssMed)} | ${mb(s.rssMax)} |`;
  const pct = (a: number, b: number) => `${((a / b) * 100).toFixed(0)} %`;
  const startMet = c.freshMed <= GOAL_START_MS;
  const rssMet = c.rssMed <= GOAL_RSS_MB;
  const markdown = [
    '## Start and idle memory',
    '',
    `${machine()}; spawn → first 200 from \`GET /api/health\` (polled every ${POLL_MS} ms), ${ROUNDS} interleaved rounds; idle RSS ${SETTLE_MS / 1000} s after healthy; each server in its own process; load average ${loadBefore.toFixed(1)} before the run, ${os.loadavg()[0]!.toFixed(1)} after (other work on the machine slows every figure alike).`,
    '',
    '| | fresh data dir, median | max | existing data dir, median | max | idle RSS, median | max |',
    '|---|---|---|---|---|---|---|',
    row('compiled (`node out/server/main.js`, production)', c),
    row('tsx (`node --import tsx src/server/main.ts`)', t),
    `| compiled vs tsx | ${pct(c.freshMed, t.freshMed)} | | ${pct(c.existMed, t.existMed)} | | ${pct(c.rssMed, t.rssMed)} | |`,
    '',
    `- Fresh start to healthy: **${ms(c.freshMed)}** median (goal ≤ ${GOAL_START_MS} ms): ${startMet ? 'meets the goal' : 'misses the goal'}.`,
    `- Idle RSS: **${mb(c.rssMed)}** median (goal ≤ ${GOAL_RSS_MB} MB): ${rssMet ? 'meets the goal' : 'misses the goal'}.`,
  ].join('\n');
  console.log(`\n${markdown}`);
  recordResults('start', markdown);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
