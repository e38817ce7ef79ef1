import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sid } from '../helpers/chat';
import { DEMO_OWNER, login } from '../helpers/server';
import { onPostgres } from '../helpers/test-database';
import { demoKey, startInstances, widgetChat, type Instance } from './instances';

const VISITORS = 200;
const AT_ONCE = 16;

describe.runIf(onPostgres)('two instances on one database: an instance killed under chat load', () => {
  let bob: Awaited<ReturnType<typeof startInstances>>;
  let key: string;

  beforeAll(async () => {
    // Each visitor its own address, as the proxy forwards it.
    bob = await startInstances({ BOB_TRUST_PROXY: '1' });
    key = await demoKey(bob.instances[1]!, await login(bob.instances[1]!, DEMO_OWNER));
  });
  afterAll(() => bob?.close());

  it('kill -9 of A midway: every message acknowledged with a 200 is stored', async () => {
    const [a, b] = bob.instances as [Instance, Instance];
    const acknowledged: { session_id: string; message: string; reply_id: string; on: string }[] = [];
    const refused: { on: string; why: string }[] = [];
    let killed: Promise<void> | undefined;
    let next = 0;
    // AT_ONCE visitors in flight at any time, each sending one message, alternately to A and B.
    const worker = async () => {
      for (let i = next++; i < VISITORS; i = next++) {
        const on = i % 2 ? b : a;
        const session_id = sid();
        const message = `Load test message ${i}: how much is a tax return?`;
        if (acknowledged.length >= VISITORS / 3) killed ??= a.kill();
        try {
          const res = await widgetChat(on, key, { session_id, message }, `10.4.${i >> 8}.${i & 255}`);
          if (res.status === 200) acknowledged.push({ session_id, message, reply_id: ((await res.json()) as { message_id: string }).message_id, on: on.id });
          else refused.push({ on: on.id, why: `HTTP ${res.status}` });
        } catch (err) {
          refused.push({ on: on.id, why: String(err) });
        }
      }
    };
    await Promise.all(Array.from({ length: AT_ONCE }, worker));
    await killed;

    // A was cut off midway; B answered every message it was sent.
    expect(acknowledged.filter((x) => x.on === 'a').length).toBeGreaterThan(0);
    expect(refused.filter((x) => x.on === 'a').length).toBeGreaterThan(0);
    expect(refused.filter((x) => x.on === 'b')).toEqual([]);
    expect(acknowledged.length + refused.length).toBe(VISITORS);

    const sessions = new Map((await bob.records.sessions()).map((s) => [s.id, s.external_id]));
    const stored = await bob.records.messages();
    const visitorMessages = new Set(stored.filter((m) => m.author === 'visitor').map((m) => `${sessions.get(m.session_id)} ${m.body}`));
    const ids = new Set(stored.map((m) => m.id));
    const lost = acknowledged.filter((x) => !visitorMessages.has(`${x.session_id} ${x.message}`) || !ids.has(x.reply_id));
    expect(lost).toEqual([]);
  });
});
