// npm run bench:webhooks — (1) deliveries per second from the outbox to a local receiver, one
// endpoint (strictly in order) and three endpoints (in parallel); (2) the outbox's effect on chat:
// widget chat latency without and with an active endpoint subscribed to every event, same run.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTenantsRepo } from '../src/server/modules/tenants/tenants.repo';
import { chatLoad, CONNECTIONS, DURATION_S, fmt, ORIGIN, startBenchServer } from './lib';

const EVENTS = Number(process.env.BENCH_WEBHOOK_EVENTS ?? 3000);

async function receiver() {
  let count = 0;
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      count++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { url, received: () => count, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function main() {
  const { bob, key, close } = await startBenchServer({ BOB_ALLOW_PRIVATE_WEBHOOKS: '1' });
  const sink = await receiver();
  const login = await fetch(`${bob.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'customer@business.com', password: 'customer_password' }) });
  const auth = { authorization: `Bearer ${((await login.json()) as { token: string }).token}`, 'content-type': 'application/json' };
  const tenantId = (await createTenantsRepo(bob.database.storage).bySlug('business-co'))!.id;
  const addEndpoint = async (events: string[]) => {
    const res = await fetch(`${bob.url}/api/webhooks`, { method: 'POST', headers: auth, body: JSON.stringify({ url: sink.url, events }) });
    if (res.status !== 201) throw new Error(`create endpoint: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { id: string }).id;
  };
  const removeAll = async () => {
    const list = (await (await fetch(`${bob.url}/api/webhooks`, { headers: auth })).json()) as { data: { id: string }[] };
    for (const e of list.data) await fetch(`${bob.url}/api/webhooks/${e.id}`, { method: 'DELETE', headers: auth });
  };

  // (1) Throughput: EVENTS events stored in one transaction, timed until every delivery is acknowledged.
  async function drain(endpoints: number) {
    for (let i = 0; i < endpoints; i++) await addEndpoint(['credits.threshold']);
    const before = sink.received();
    const started = performance.now();
    await bob.app.uow.run(({ emit }) => {
      for (let i = 0; i < EVENTS; i++) emit(tenantId, 'credits.threshold', { percent: 80, used: i, allowance: EVENTS, month: '2026-11' });
    });
    while (sink.received() - before < EVENTS * endpoints) await new Promise((r) => setTimeout(r, 5));
    const seconds = (performance.now() - started) / 1000;
    await removeAll();
    return { endpoints, deliveries: EVENTS * endpoints, seconds: Number(seconds.toFixed(2)), 'deliveries/s': Math.round((EVENTS * endpoints) / seconds) };
  }
  const one = await drain(1);
  const three = await drain(3);
  console.log(`\nWebhook deliveries to a local receiver (HTTP keep-alive, signed, each settled in SQLite)\n`);
  console.table([one, three]);

  // (2) Chat with and without an active endpoint.
  const headers = { 'x-widget-key': key, origin: ORIGIN };
  await chatLoad(`${bob.url}/api/widget/chat`, headers, 500, 'warm');
  const without = await chatLoad(`${bob.url}/api/widget/chat`, headers, 500, 'plain');
  await addEndpoint(['session.created', 'message.created', 'handoff.requested', 'session.closed']);
  const beforeChat = sink.received();
  const withHook = await chatLoad(`${bob.url}/api/widget/chat`, headers, 500, 'hooked');
  const duringRun = sink.received() - beforeChat;
  const drainStart = performance.now();
  await bob.app.webhooks.idle();
  const drained = (performance.now() - drainStart) / 1000;
  console.log(`\nPOST /api/widget/chat — ${CONNECTIONS} connections, ${DURATION_S} s each, without and with an endpoint subscribed to conversation events\n`);
  console.table({ 'no endpoint': fmt(without), 'active endpoint': fmt(withHook) });
  console.log(`chat p99: ${without.latency.p99} ms → ${withHook.latency.p99} ms; throughput ${(100 * withHook.requests.average / without.requests.average).toFixed(1)} % of the run without`);
  console.log(`deliveries during the loaded run: ${duringRun}; backlog drained ${drained.toFixed(2)} s after it (${sink.received() - beforeChat} delivered in total)`);

  await sink.close();
  await close();
}

void main();
