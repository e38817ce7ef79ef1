// Slow clients: idle TCP connections (half of them stuck mid-headers) and open visitor streams
// pile up while another process measures /api/health: its p99 stays under 50 ms.
import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { afterAll, expect, it } from 'vitest';
import { TIMED, api, bobProcesses, loginOwner, n, percentile, report, SIZES, sleep } from './lib';

// The stream caps per client address and per key are lifted for this process; the streams also
// come from 100 loopback addresses (127.0.0.2–101), so the defaults would hold them too.
const procs = bobProcesses({ BOB_MAX_STREAMS_PER_IP: '100000', BOB_MAX_STREAMS_PER_KEY: '100000' });
const sockets: net.Socket[] = [];
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await procs.cleanup();
});

const ADDRESSES = Array.from({ length: 100 }, (_, i) => `127.0.0.${i + 2}`);
const ORIGIN = 'http://localhost:5173';
/** How long /api/health is measured once everything is open. */
const STEADY_MS = 3000;

/** /api/health, one request after another on a keep-alive connection, from its own process, until stopped. */
function measureHealth(url: string) {
  const script = `
    const http = require('node:http');
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const url = new URL('/api/health', process.env.URL);
    (async () => {
      for (;;) {
        const t = process.hrtime.bigint();
        const status = await new Promise((resolve) => {
          const req = http.get(url, { agent, timeout: 5000 }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
          req.on('timeout', () => req.destroy(new Error('timeout')));
          req.on('error', () => resolve(0));
        });
        process.stdout.write(Date.now() + ' ' + (status === 200 ? Number(process.hrtime.bigint() - t) / 1e6 : -1) + '\\n');
        await new Promise((r) => setTimeout(r, 10));
      }
    })();`;
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, URL: url }, stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const exited = new Promise((r) => child.on('exit', r));
  return {
    async stop(): Promise<[at: number, ms: number][]> {
      child.kill('SIGKILL');
      await exited;
      return out
        .split('\n')
        .filter((l) => /^\d+ -?[\d.]+$/.test(l))
        .map((l) => l.split(' ').map(Number) as [number, number]);
    },
  };
}

async function inBatches<T>(count: number, batch: number, open: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < count; i += batch) results.push(...(await Promise.all(Array.from({ length: Math.min(batch, count - i) }, (_, j) => open(i + j)))));
  return results;
}

it(`health stays fast with ${SIZES.idleConnections} idle connections and ${SIZES.visitorStreams} visitor streams open`, async () => {
  const bob = await procs.start();
  const { hostname, port } = new URL(bob.url);
  const token = await loginOwner(bob.url);
  const key = (await api<{ data: { key: string; mode: string }[] }>(bob.url, token, 'GET', '/api/widget-keys')).body.data.find((k) => k.mode === 'live')!.key;

  // Warm-up (a fresh process compiles its hot paths on the first requests), then a baseline.
  for (let i = 0; i < 200; i++) await (await fetch(new URL('/api/health', bob.url))).arrayBuffer();
  const measuring = measureHealth(bob.url);
  await sleep(2000); // the baseline: nothing open yet
  const loadStart = Date.now();

  // Idle connections: half say nothing, half stop in the middle of their headers.
  const idle = await inBatches(SIZES.idleConnections, 50, (i) =>
    new Promise<boolean>((resolve) => {
      const s = net.connect({ host: hostname, port: Number(port), localAddress: ADDRESSES[i % ADDRESSES.length] });
      sockets.push(s);
      s.on('error', () => resolve(false));
      s.on('connect', () => {
        if (i % 2) s.write(`GET /api/health HTTP/1.1\r\nHost: ${hostname}\r\nX-Slow: `);
        resolve(true);
      });
    }),
  );

  const idleDone = Date.now();
  // Visitor streams, as the widget opens them (EventSource: the key in the query).
  const streams = await inBatches(SIZES.visitorStreams, 20, (i) =>
    new Promise<number>((resolve) => {
      const req = http.get(
        { host: hostname, port: Number(port), path: `/api/widget/stream?key=${encodeURIComponent(key)}&session_id=slow_${i}`, headers: { Origin: ORIGIN, Accept: 'text/event-stream' }, agent: false, localAddress: ADDRESSES[i % ADDRESSES.length] },
        (res) => {
          sockets.push(res.socket);
          if (res.statusCode !== 200) {
            res.resume();
            return resolve(res.statusCode ?? 0);
          }
          res.once('data', () => resolve(200)); // the first frame: the stream is open
        },
      );
      req.on('error', () => resolve(0));
    }),
  );

  const streamsDone = Date.now();
  await sleep(STEADY_MS);
  const samples = await measuring.stop();
  // The figures count from the first slow client on; the baseline before them is shown apart.
  const latencies = samples.filter(([at]) => at >= loadStart).map(([, ms]) => ms);
  const phase = (from: number, to: number) => {
    const xs = samples.filter(([at, ms]) => at >= from && at < to && ms >= 0).map(([, ms]) => ms).sort((a, b) => a - b);
    return `${percentile(xs, 99).toFixed(1)} ms (${xs.length})`;
  };
  const idleStillOpen = sockets.slice(0, SIZES.idleConnections).filter((s) => !s.destroyed && !s.readableEnded).length;
  const ok = latencies.filter((l) => l >= 0).sort((a, b) => a - b);
  const failed = latencies.length - ok.length;
  const opened = idle.filter(Boolean).length;
  const streamsOpen = streams.filter((s) => s === 200).length;
  const refused = streams.filter((s) => s !== 200).reduce<Record<number, number>>((m, s) => ((m[s] = (m[s] ?? 0) + 1), m), {});
  const p50 = percentile(ok, 50);
  const p99 = percentile(ok, 99);
  report(
    `slow clients: ${n(opened)} idle connections (${n(idleStillOpen)} still open at the end), ${n(streamsOpen)} visitor streams` +
      `${Object.keys(refused).length ? ` (refused: ${Object.entries(refused).map(([s, c]) => `${c}×${s || 'error'}`).join(', ')})` : ''}, ` +
      `health p50 ${p50.toFixed(1)} ms / p99 ${p99.toFixed(1)} ms / max ${ok[ok.length - 1]!.toFixed(1)} ms over ${n(ok.length)} requests, ${failed} failed; ` +
      `p99 before any slow client (not counted) ${phase(0, loadStart)}, opening connections ${phase(loadStart, idleDone)}, opening streams ${phase(idleDone, streamsDone)}, all open ${phase(streamsDone, Infinity)}`,
  );
  expect(opened).toBe(SIZES.idleConnections);
  expect(streamsOpen).toBe(SIZES.visitorStreams);
  expect(failed).toBe(0);
  if (TIMED) expect(p99).toBeLessThan(50);
}, 120_000);
