import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CHAT_LIMITS } from '../../src/server/modules/chat/chat.service';
import { ACCOUNT_FREE_FAILURES } from '../../src/server/modules/auth/auth.service';
import { sid } from '../helpers/chat';
import { eventually } from '../helpers/eventually';
import { DEMO_ADMIN, DEMO_OWNER, login } from '../helpers/server';
import { onPostgres } from '../helpers/test-database';
import { demoKey, startInstances, widgetChat, type Instance } from './instances';

const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;

describe.runIf(onPostgres)('two instances on one database: shared limits', () => {
  let bob: Awaited<ReturnType<typeof startInstances>>;
  let a: Instance;
  let b: Instance;
  let key: string;

  beforeAll(async () => {
    bob = await startInstances();
    [a, b] = bob.instances as [Instance, Instance];
    key = await demoKey(a, await login(a, DEMO_OWNER));
  });
  afterAll(() => bob?.close());

  it('refuses a visitor’s 21st message in a minute whichever instance receives it', async () => {
    const perMinute = DEFAULT_CHAT_LIMITS.perSessionPerMinute;
    expect(perMinute).toBe(20);
    const session_id = sid();
    for (let n = 0; n < perMinute; n++) {
      const res = await widgetChat(n % 2 ? b : a, key, { session_id, message: `How much is a tax return? (${n})` });
      expect(res.status, `message ${n + 1}`).toBe(200);
    }
    for (const on of [a, b]) {
      const refused = await widgetChat(on, key, { session_id, message: 'One more?' });
      expect(refused.status, `on ${on.id}`).toBe(429);
      expect(Number(refused.headers.get('Retry-After'))).toBeGreaterThan(0);
      expect(await errorCode(refused)).toBe('rate_limited');
    }
    // Another visitor is not held up by this one.
    expect((await widgetChat(b, key, { session_id: sid(), message: 'Hello' })).status).toBe(200);
  });

  it('shows on B the model settings an admin saved on A, without a restart', async () => {
    const admin = await login(a, DEMO_ADMIN);
    const onB = await login(b, DEMO_ADMIN);
    const model = `multi-${sid()}`;
    const saved = await a.send('PUT', '/api/settings/model', { enabled: true, base_url: 'http://127.0.0.1:9/v1', model, timeout_ms: 1000 }, admin.bearer);
    expect(saved.status).toBe(200);
    // B keeps the settings in memory: NOTIFY on bob_settings makes it read them again.
    await eventually(async () => ((await (await b.fetch('/api/settings/model', { headers: onB.bearer })).json()) as { model: string }).model === model, 2000, 'B to show the new model');
  });

  it('throttles sign-ins on B after failures on A', async () => {
    for (let i = 0; i < ACCOUNT_FREE_FAILURES; i++) {
      expect((await a.send('POST', '/api/auth/login', { email: DEMO_OWNER.email, password: `wrong-${i}` })).status).toBe(401);
    }
    const throttled = await b.send('POST', '/api/auth/login', DEMO_OWNER);
    expect(throttled.status).toBe(429);
    expect(await errorCode(throttled)).toBe('rate_limited');
    const wait = Number(throttled.headers.get('Retry-After'));
    expect(wait).toBeGreaterThanOrEqual(1);
    // After the delay the right password works, on either instance.
    await new Promise((r) => setTimeout(r, wait * 1000));
    expect((await b.send('POST', '/api/auth/login', DEMO_OWNER)).status).toBe(200);
  });
});
