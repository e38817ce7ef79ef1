import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runHeadless } from '../helpers/process';
import { DEMO_OWNER } from '../helpers/server';
import { eventually } from '../helpers/eventually';
import { startReceiver } from '../helpers/webhook-receiver';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-test-'));
// Retries stretch over ~30 s so nothing is given up while the server is down.
const env = { BOB_PORT: '0', BOB_DATA_DIR: dataDir, BOB_LOG_LEVEL: 'warn', BOB_ALLOW_PRIVATE_WEBHOOKS: '1', BOB_WEBHOOK_RETRY_SCHEDULE: '100ms,200ms,400ms,800ms,2s,5s,10s,10s' };
const children: ReturnType<typeof runHeadless>[] = [];
afterAll(() => {
  for (const c of children) c.child.kill('SIGKILL');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function api(url: string, token: string, method: string, pathname: string, body?: unknown) {
  const res = await fetch(new URL(pathname, url), {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & { data?: { status: string; msg_id: string }[] } };
}

it('resumes pending deliveries after the server is killed (SIGKILL) and started again', async () => {
  const receiver = await startReceiver();
  await receiver.down(); // the business's CRM is offline for now
  try {
    const first = runHeadless(env);
    children.push(first);
    const { url } = await first.listening();
    const login = await fetch(new URL('/api/auth/login', url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(DEMO_OWNER) });
    const { token } = (await login.json()) as { token: string };
    const created = await api(url, token, 'POST', '/api/webhooks', { url: receiver.url, events: ['persona.updated'] });
    expect(created.status).toBe(201);
    receiver.trust(created.body.secret as string);
    const id = created.body.id as string;

    // Three changes, each announced; none can be delivered yet.
    const personas = (await api(url, token, 'GET', '/api/personas')).body.data as unknown as { id: string; version: number }[];
    const persona = personas[0]!;
    const descriptions = ['first', 'second', 'third'];
    for (const description of descriptions) expect((await api(url, token, 'PATCH', `/api/personas/${persona.id}`, { description })).status).toBe(200);
    await eventually(async () => {
      const list = (await api(url, token, 'GET', `/api/webhooks/${id}/deliveries`)).body.data!;
      return list.length === 3 && list.every((d) => d.status === 'pending');
    }, 5000, 'three pending deliveries');

    first.child.kill('SIGKILL');
    await first.exited;
    await receiver.up();

    const second = runHeadless(env);
    children.push(second);
    const again = await second.listening();
    await eventually(() => receiver.received.length >= 3, 15_000, 'deliveries after the restart');
    await new Promise((r) => setTimeout(r, 300)); // nothing more arrives
    expect(receiver.received.map((r) => (r.data.persona as { description: string }).description)).toEqual(descriptions);
    expect(new Set(receiver.received.map((r) => r.id)).size).toBe(3);
    expect(receiver.received.every((r) => r.verifiedWith === created.body.secret)).toBe(true);

    const relogin = await fetch(new URL('/api/auth/login', again.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(DEMO_OWNER) });
    const token2 = ((await relogin.json()) as { token: string }).token;
    const list = (await api(again.url, token2, 'GET', `/api/webhooks/${id}/deliveries`)).body.data!;
    expect(list.map((d) => d.status)).toEqual(['delivered', 'delivered', 'delivered']);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  } finally {
    await receiver.close();
  }
}, 60_000);
