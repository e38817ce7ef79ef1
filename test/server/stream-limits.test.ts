import { afterEach, describe, expect, it } from 'vitest';
import { demoKey, sid } from '../helpers/chat';
import { eventually } from '../helpers/eventually';
import { requestFrom, type AddressedResponse } from '../helpers/from-address';
import { loadConfig } from '../../src/server/config';
import { DEMO_OWNER, login, startTestServer, type TestServer } from '../helpers/server';

const ORIGIN = 'http://localhost:5173';
let server: TestServer | undefined;
const opened: AddressedResponse[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) s.close();
  await server?.close();
  server = undefined;
});

async function open(from: string, pathname: string, headers: Record<string, string> = {}) {
  const res = await requestFrom(from, `${server!.url}${pathname}`, { headers: { Accept: 'text/event-stream', ...headers } });
  opened.push(res);
  return res;
}
const visitorStream = async (from: string) => open(from, `/api/widget/stream?session_id=${sid()}&key=${await demoKey(server!)}`, { Origin: ORIGIN });

function expectLimited(res: AddressedResponse) {
  expect(res.status).toBe(429);
  expect(res.json?.error?.code).toBe('rate_limited');
  expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
}

describe('caps on open live streams', () => {
  it('refuses a visitor stream over the per-address cap with 429, and accepts one again after a stream closes', async () => {
    server = await startTestServer({ env: { BOB_MAX_STREAMS_PER_IP: '3' } });
    const streams = [];
    for (let i = 0; i < 3; i++) {
      const res = await visitorStream('127.0.0.2');
      expect(res.status).toBe(200);
      streams.push(res);
    }
    const over = await visitorStream('127.0.0.2');
    expectLimited(over);
    expect(over.headers['access-control-allow-origin']).toBe(ORIGIN); // the embedding page can read it
    expect((await visitorStream('127.0.0.3')).status).toBe(200); // another address has its own cap
    streams[0]!.close();
    const again = await eventually(async () => {
      const res = await visitorStream('127.0.0.2');
      return res.status === 200 && res;
    }, 5000, 'a slot freed by the closed stream');
    expect(again.status).toBe(200);
  });

  it('caps streams per widget key across addresses', async () => {
    server = await startTestServer({ env: { BOB_MAX_STREAMS_PER_KEY: '4' } });
    for (let i = 2; i < 6; i++) expect((await visitorStream(`127.0.0.${i}`)).status).toBe(200);
    expectLimited(await visitorStream('127.0.0.6'));
  });

  it('caps staff event streams per user', async () => {
    server = await startTestServer({ env: { BOB_MAX_STAFF_STREAMS_PER_USER: '2' } });
    const a = await login(server!, DEMO_OWNER);
    const b = await login(server!, DEMO_OWNER); // a second session of the same person counts too
    expect((await open('127.0.0.2', '/api/events', a.bearer)).status).toBe(200);
    expect((await open('127.0.0.3', '/api/events', b.bearer)).status).toBe(200);
    expectLimited(await open('127.0.0.4', '/api/events', a.bearer));
  });

  it('reads the caps from the environment, with defaults, and refuses one that is not a whole number from 1', () => {
    expect(loadConfig({}).streams).toEqual({ perIp: 20, perKey: 2000, perStaffUser: 10 });
    expect(loadConfig({ BOB_MAX_STAFF_STREAMS_PER_USER: '3' }).streams.perStaffUser).toBe(3);
    expect(() => loadConfig({ BOB_MAX_STREAMS_PER_IP: '0' })).toThrow(/BOB_MAX_STREAMS_PER_IP/);
    expect(() => loadConfig({ BOB_MAX_STREAMS_PER_KEY: 'lots' })).toThrow(/BOB_MAX_STREAMS_PER_KEY/);
  });
});
