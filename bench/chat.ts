// npm run bench:chat — throughput and latency of POST /api/widget/chat beside a bare Koa JSON
// echo measured in the same process and run, so the ratio does not depend on the machine.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import Koa from 'koa';
import { loadConfig } from '../src/server/config';
import { createLogger } from '../src/server/logger';
import { startServer } from '../src/server/server';

const CONNECTIONS = 50;
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const ORIGIN = 'http://localhost:5173';

async function bareEcho(): Promise<{ url: string; close: () => void }> {
  const app = new Koa();
  app.use(async (ctx) => {
    const chunks: Buffer[] = [];
    for await (const c of ctx.req) chunks.push(c as Buffer);
    ctx.body = { echo: JSON.parse(Buffer.concat(chunks).toString()) };
  });
  const server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => server.close() };
}

function run(url: string, headers: Record<string, string>, sessions: number) {
  let n = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ session_id: `bench_${n++ % sessions}`, message: 'How much is Pro?' }) }) }],
  });
}

const fmt = (r: autocannon.Result) => ({
  'req/s': Math.round(r.requests.average),
  'p50 ms': r.latency.p50,
  'p99 ms': r.latency.p99,
  errors: r.errors + r.non2xx,
});

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-bench-'));
  const config = loadConfig({ BOB_DATA_DIR: dataDir, BOB_PORT: '0', BOB_LOG_LEVEL: 'silent' });
  // One IP sends everything here, so the per-IP and per-session limits are lifted for the run.
  const bob = await startServer({ config, logger: createLogger('silent'), chatLimits: { perSessionPerMinute: 1e9, perIpPerMinute: 1e9 } });
  const key = bob.db.prepare(`SELECT key FROM widget_keys k JOIN tenants t ON t.id = k.tenant_id WHERE t.slug = 'business-co'`).pluck().get() as string;
  const echo = await bareEcho();

  const warm = await run(`${bob.url}/api/widget/chat`, { 'x-widget-key': key, origin: ORIGIN }, 500);
  if (warm.non2xx) throw new Error(`widget chat answered ${warm.non2xx} non-2xx responses during warm-up`);
  const base = await run(`${echo.url}/`, {}, 500);
  const widget = await run(`${bob.url}/api/widget/chat`, { 'x-widget-key': key, origin: ORIGIN }, 500);

  console.log(`\nPOST /api/widget/chat vs bare Koa echo — ${CONNECTIONS} connections, ${DURATION_S} s each, same process\n`);
  console.table({ 'bare Koa echo': fmt(base), 'widget chat': fmt(widget) });
  const ratio = widget.requests.average / base.requests.average;
  console.log(`throughput ratio widget/echo: ${(ratio * 100).toFixed(1)} % (goal ≥ 50 %)`);
  console.log(`widget chat p99: ${widget.latency.p99} ms (goal ≤ 20 ms)`);
  echo.close();
  await bob.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
}

void main();
