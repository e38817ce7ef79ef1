// npm run bench:memory — Bob's resident memory after 1,000 chats and after 100,000 (BENCH_CHATS),
// every chat from a new visitor (its own session_id and X-Forwarded-For), Bob and the load
// generator each in its own process. Goal: the second within 50 MB of the first, i.e. nothing
// in the server grows per visitor without bound.
//
// RSS is read from /proc after a settle, as the minimum of a few samples a second apart (a GC
// in progress or a burst of allocation is not what stays). Bob runs with --trace-gc, whose
// lines give the V8 heap after each full (mark-compact) collection: the live JavaScript heap,
// beside the RSS that also holds SQLite's page cache (cache_size = -16000: up to 16 MB, by
// design), malloc'd native memory, and code.
//
// BENCH_CHATS (default 100000) total chats; BENCH_WARM (default 1000) chats before the first
// measurement; BENCH_CONNECTIONS (default 20); BENCH_SNAPSHOTS=1 also writes a V8 heap snapshot
// (SIGUSR2, into the data dir, kept) at both points, to compare object counts when RSS grows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { openReadOnly, type Db } from '../src/server/db/client';
import { createChatRepo } from '../src/server/modules/chat/chat.repo';
import { sqliteDialect } from '../src/server/storage/dialect';
import { sqliteStorage } from '../src/server/storage/sqlite';
import { clean, machine, ORIGIN, prepareBusiness, recordResults, runLoad, spawnBob, statusMix, type LoadResult } from './harness';

const TOTAL = Number(process.env.BENCH_CHATS ?? 100_000);
const WARM = Number(process.env.BENCH_WARM ?? 1_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const SNAPSHOTS = process.env.BENCH_SNAPSHOTS === '1';
const SETTLE_MS = 5_000;
const SAMPLES = 5;
const GOAL_MB = 50;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** VmRSS and its parts (anonymous memory vs mapped files), in MB, from /proc/<pid>/status. */
function memory(pid: number): { rss: number; anon: number; file: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}

/** After a settle, the sample with the least RSS of a few taken a second apart. */
async function settled(pid: number) {
  await sleep(SETTLE_MS);
  let best = memory(pid);
  for (let i = 1; i < SAMPLES; i++) {
    await sleep(1000);
    const m = memory(pid);
    if (m.rss < best.rss) best = m;
  }
  return best;
}

const mb = (n: number) => `${n.toFixed(1)} MB`;
const add = (a: LoadResult, b: LoadResult): LoadResult => {
  const statuses = { ...a.statuses };
  for (const [s, n] of Object.entries(b.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
  return { ...b, requests: a.requests + b.requests, errors: a.errors + b.errors, timeouts: a.timeouts + b.timeouts, statuses };
};

/** Waits until Node has written a heap snapshot into `dir` after SIGUSR2, returns its name. */
async function snapshot(pid: number, dir: string): Promise<string> {
  const before = new Set(fs.readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  for (let i = 0; i < 600; i++) {
    await sleep(500);
    const made = fs.readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    // Node writes the file in place: done when its size stops changing.
    if (made) {
      const size = fs.statSync(path.join(dir, made)).size;
      await sleep(1000);
      if (fs.statSync(path.join(dir, made)).size === size && size > 0) return made;
    }
  }
  throw new Error('no heap snapshot written');
}

async function main() {
  if (TOTAL <= WARM) throw new Error(`BENCH_CHATS (${TOTAL}) must be more than BENCH_WARM (${WARM})`);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-bench-'));
  const nodeArgs = ['--trace-gc', ...(SNAPSHOTS ? ['--heapsnapshot-signal=SIGUSR2', `--diagnostic-dir=${dataDir}`] : [])];
  const bob = await spawnBob({}, { nodeArgs, dataDir });
  // --trace-gc lines: "... Mark-Compact 40.1 (45.3) -> 38.2 (44.1) MB, ..." (the heap used after it).
  let heapAfterFullGc = NaN;
  let fullGcs = 0;
  readline.createInterface({ input: bob.child.stdout! }).on('line', (line) => {
    const m = /Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \(/.exec(line);
    if (m) {
      heapAfterFullGc = Number(m[1]);
      fullGcs++;
    }
  });
  const heap = () => (Number.isNaN(heapAfterFullGc) ? 'n/a (no full GC yet)' : `${heapAfterFullGc.toFixed(1)} MB (full GC #${fullGcs})`);
  const files = () => {
    const f = (name: string) => (fs.existsSync(path.join(bob.dataDir, name)) ? fs.statSync(path.join(bob.dataDir, name)).size / 1048576 : 0);
    return { db: f('bob.sqlite'), wal: f('bob.sqlite-wal') };
  };
  // A read-only connection for the progress line only (one count every few seconds).
  let reader: Db | undefined;
  const sessions = async () => {
    try {
      reader ??= openReadOnly(bob.dataDir);
      return await createChatRepo(sqliteStorage(reader), sqliteDialect).sessionCount();
    } catch {
      return NaN;
    }
  };

  try {
    const idle = memory(bob.pid);
    const { key } = await prepareBusiness(bob);
    const spec = { url: `${bob.url}/api/widget/chat`, body: 'chat' as const, headers: { 'x-widget-key': key, origin: ORIGIN }, distinctAddresses: true, connections: CONNECTIONS };
    const t0 = Date.now();
    console.log(`Bob ${bob.compiled ? 'compiled' : 'under tsx'} (pid ${bob.pid}), idle RSS ${mb(idle.rss)}; ${WARM.toLocaleString('en')} chats, then up to ${TOTAL.toLocaleString('en')}, ${CONNECTIONS} connections`);

    const first = await runLoad({ ...spec, amount: WARM });
    const firstS = (Date.now() - t0) / 1000;
    const a = await settled(bob.pid);
    const aHeap = heap();
    const aFiles = files();
    console.log(`after ${WARM.toLocaleString('en')} chats (${firstS.toFixed(1)} s, ${statusMix(first)}): RSS ${mb(a.rss)} (anon ${mb(a.anon)}, file ${mb(a.file)}), V8 heap ${aHeap}`);
    const snapA = SNAPSHOTS ? await snapshot(bob.pid, bob.dataDir) : undefined;

    const t1 = Date.now();
    const progressLine = async () => {
      const m = memory(bob.pid);
      const n = await sessions();
      const s = (Date.now() - t1) / 1000;
      console.log(`  ${s.toFixed(0).padStart(4)} s: ${Number.isNaN(n) ? '?' : n.toLocaleString('en')} sessions, RSS ${mb(m.rss)} (anon ${mb(m.anon)}), V8 heap ${heap()}, WAL ${mb(files().wal)}`);
    };
    // A progress line never fails (sessions() answers NaN when it cannot count).
    const progress = setInterval(() => void progressLine(), 10_000);
    let second: LoadResult;
    try {
      second = await runLoad({ ...spec, amount: TOTAL - WARM });
    } finally {
      clearInterval(progress);
    }
    const secondS = (Date.now() - t1) / 1000;
    const b = await settled(bob.pid);
    const bHeap = heap();
    const bFiles = files();
    const snapB = SNAPSHOTS ? await snapshot(bob.pid, bob.dataDir) : undefined;

    const all = add(first, second);
    const growth = b.rss - a.rss;
    const ok = clean(all) && growth <= GOAL_MB;
    const md = [
      `## Memory: RSS after ${WARM.toLocaleString('en')} and ${TOTAL.toLocaleString('en')} chats from distinct visitors`,
      ``,
      `${machine()}; POST /api/widget/chat, every request a new visitor (session_id and X-Forwarded-For), ${CONNECTIONS} connections; Bob ${bob.compiled ? 'compiled' : 'under tsx'}, the load generator in its own process; RSS the least of ${SAMPLES} samples after a ${SETTLE_MS / 1000} s settle.`,
      ``,
      `| | chats | RSS | anon / file | V8 heap after last full GC | bob.sqlite / WAL |`,
      `|---|---|---|---|---|---|`,
      `| idle, before any chat | 0 | ${mb(idle.rss)} | ${mb(idle.anon)} / ${mb(idle.file)} | | |`,
      `| after the first chats | ${WARM.toLocaleString('en')} | ${mb(a.rss)} | ${mb(a.anon)} / ${mb(a.file)} | ${aHeap} | ${mb(aFiles.db)} / ${mb(aFiles.wal)} |`,
      `| after all | ${TOTAL.toLocaleString('en')} | ${mb(b.rss)} | ${mb(b.anon)} / ${mb(b.file)} | ${bHeap} | ${mb(bFiles.db)} / ${mb(bFiles.wal)} |`,
      ``,
      `- Growth: **${growth >= 0 ? '+' : ''}${mb(growth)}** over ${(TOTAL - WARM).toLocaleString('en')} more visitors (goal ≤ ${GOAL_MB} MB): ${ok ? 'meets' : 'misses'} the goal${clean(all) ? '' : ' — **the run had non-2xx responses or errors and does not count**'}.`,
      `- Responses: ${statusMix(all)}; ${(firstS + secondS).toFixed(0)} s in all (${Math.round(second.rps)} req/s in the second part).`,
      `- SQLite's page cache (up to 16 MB, \`cache_size = -16000\`) fills as the database grows and counts toward RSS by design.`,
      ...(SNAPSHOTS ? [`- Heap snapshots in ${bob.dataDir}: ${snapA}, ${snapB}.`] : []),
    ].join('\n');
    console.log(`\n${md}\n`);
    recordResults('memory', md);
    process.exitCode = ok ? 0 : 1;
  } finally {
    reader?.close();
    await bob.stop();
    // The snapshots stay for comparing; otherwise the data dir goes.
    if (!SNAPSHOTS) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main();
