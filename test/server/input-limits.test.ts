import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';
import { streamedPost } from '../helpers/streamed-post';

let server: TestServer;
let owner: Session;
beforeEach(async () => {
  server = await startTestServer();
  owner = await login(server, DEMO_OWNER);
});
afterEach(() => server.close());

const get = (path: string) => server.fetch(path, { headers: owner.bearer });

describe('dates in queries', () => {
  const impossible = ['0000-00-00', '9999-99-99', '2026-00-10', '2026-02-30', '2026-13-01', '2026-04-31', '2027-02-29'];

  it.each(impossible)('refuses %s in from and to with 400 invalid_request', async (day) => {
    for (const q of [`to=${day}`, `from=${day}&to=2026-12-31`]) {
      const res = await get(`/api/usage?${q}`);
      expect(res.status, q).toBe(400);
      expect((await res.json()).error.code).toBe('invalid_request');
    }
  });

  it('accepts a leap day that exists', async () => {
    const res = await get('/api/usage?from=2028-02-01&to=2028-02-29');
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.days).toHaveLength(29);
    expect(body.days.at(-1).date).toBe('2028-02-29');
    expect((await get('/api/usage?to=2027-02-29')).status).toBe(400);
  });

  it('refuses impossible dates in the audit log\'s from and to', async () => {
    for (const q of ['from=2026-02-30T00:00:00Z', 'to=2027-02-29T10:00:00Z', 'to=2026-00-10T00:00:00Z']) {
      const res = await get(`/api/audit?${q}`);
      expect(res.status, q).toBe(400);
      expect((await res.json()).error.code).toBe('invalid_request');
    }
    expect((await get('/api/audit?from=2028-02-29T00:00:00Z')).status).toBe(200);
  });
});

/** POSTs `size` bytes of JSON as the owner, chunked (no Content-Length) or with one. */
function postRaw(path: string, size: number, chunked: boolean) {
  const payload = Buffer.from(JSON.stringify({ question: 'Is this too long?', answer: 'a'.repeat(size) }));
  return streamedPost(new URL(path, server.url), payload, { 'Content-Type': 'application/json', ...owner.bearer }, chunked);
}

describe('request bodies over the limit', () => {
  it.each([
    ['chunked', true],
    ['Content-Length', false],
  ])('answer 413 payload_too_large as JSON (%s)', async (_how, chunked) => {
    const res = await postRaw('/api/faq', 200 * 1024, chunked);
    expect(res.status).toBe(413);
    expect(res.type).toContain('application/json');
    expect(JSON.parse(res.body).error.code).toBe('payload_too_large');
    expect(server.logs.some((l) => l.includes('"level":"error"'))).toBe(false);
  });

  it('still take a chunked body under the limit', async () => {
    const res = await postRaw('/api/faq', 1000, true);
    expect(res.status).toBe(201);
  });
});

describe('requests Node refuses before Bob sees them', () => {
  it('answers a URL over 16 KB with 431 in the error shape', async () => {
    const res = await server.fetch(`/api/health?x=${'a'.repeat(20_000)}`);
    expect(res.status).toBe(431);
    expect(await res.json()).toEqual({ error: { code: 'headers_too_large', message: expect.any(String) } });
  });

  it('answers a malformed request line with 400 in the error shape', async () => {
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = new net.Socket();
      let data = '';
      socket.on('data', (d: Buffer) => (data += d.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
      socket.connect(server.port, '127.0.0.1', () => socket.write('GET /api/health HTTP/9\r\nHost: x\r\n\r\n'));
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ error: { code: 'invalid_request' } });
  });
});
