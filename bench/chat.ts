// npm run bench:chat — throughput and latency of POST /api/widget/chat beside a bare Koa JSON
// echo measured in the same process and run, so the ratio does not depend on the machine.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa from 'koa';
import { chatLoad, CONNECTIONS, DURATION_S, fmt, ORIGIN, startBenchServer } from './lib';

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

async function main() {
  const { bob, key, close } = await startBenchServer();
  const echo = await bareEcho();
  const headers = { 'x-widget-key': key, origin: ORIGIN };

  const warm = await chatLoad(`${bob.url}/api/widget/chat`, headers, 500);
  if (warm.non2xx) throw new Error(`widget chat answered ${warm.non2xx} non-2xx responses during warm-up`);
  const base = await chatLoad(`${echo.url}/`, {}, 500);
  const widget = await chatLoad(`${bob.url}/api/widget/chat`, headers, 500);

  console.log(`\nPOST /api/widget/chat vs bare Koa echo — ${CONNECTIONS} connections, ${DURATION_S} s each, same process\n`);
  console.table({ 'bare Koa echo': fmt(base), 'widget chat': fmt(widget) });
  const ratio = widget.requests.average / base.requests.average;
  console.log(`throughput ratio widget/echo: ${(ratio * 100).toFixed(1)} % (goal ≥ 50 %)`);
  console.log(`widget chat p99: ${widget.latency.p99} ms (goal ≤ 20 ms)`);
  echo.close();
  await close();
}

void main();
