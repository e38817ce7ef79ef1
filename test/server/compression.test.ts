// gzip and brotli on the wire (issue #19): what a browser downloads, read byte for byte over
// node:http (fetch would decode it and hide the encoding). Loopback only.
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoKey, sid, tenantBySlug, widgetChat } from '../helpers/chat';
import { DEMO_OWNER, login, startTestServer, type TestServer } from '../helpers/server';
import { isCompressible } from '../../src/server/http/compression';
import { SseClient } from '../helpers/sse';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The bytes as sent, still encoded. */
  body: Buffer;
}

function raw(pathname: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(pathname, server.url), { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

const decoded = (r: Raw) =>
  r.headers['content-encoding'] === 'br' ? brotliDecompressSync(r.body) : r.headers['content-encoding'] === 'gzip' ? gunzipSync(r.body) : r.body;
const vary = (r: Raw | Headers) => (r instanceof Headers ? r.get('vary') ?? '' : String(r.headers.vary ?? '')).toLowerCase().split(/\s*,\s*/);

describe('compression', () => {
  it('sends the widget brotli-encoded, gzip-encoded or as it is, as the browser asks, always the same script', async () => {
    const url = `/widget/${(await tenantBySlug(server, 'business-co')).id}/widget.js`;
    const identity = await raw(url);
    expect(identity.status).toBe(200);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(Number(identity.headers['content-length'])).toBe(identity.body.length);
    expect(identity.body.length).toBeGreaterThan(1024);
    expect(vary(identity)).toContain('accept-encoding');

    const br = await raw(url, { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(vary(br)).toContain('accept-encoding');
    expect(decoded(br).equals(identity.body)).toBe(true);
    expect(br.body.length).toBeLessThan(identity.body.length / 2);

    const gzip = await raw(url, { 'Accept-Encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(decoded(gzip).equals(identity.body)).toBe(true);

    // Neither brotli nor gzip accepted (or identity explicitly preferred): as it is.
    for (const accept of ['identity', 'compress', 'br;q=0, gzip;q=0']) {
      const plain = await raw(url, { 'Accept-Encoding': accept });
      expect(plain.headers['content-encoding'], accept).toBeUndefined();
      expect(plain.body.equals(identity.body)).toBe(true);
    }

    // One validator for every encoding of the script, and a 304 still answers it.
    expect(br.headers.etag).toBe(identity.headers.etag);
    const notModified = await raw(url, { 'Accept-Encoding': 'br', 'If-None-Match': br.headers.etag! });
    expect(notModified.status).toBe(304);
    expect(notModified.body.length).toBe(0);
    expect(vary(notModified)).toContain('accept-encoding');

    const head = await raw(url, { 'Accept-Encoding': 'br' }, 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
  });

  it('keeps Vary: Origin beside Vary: Accept-Encoding on the widget API (CORS)', async () => {
    const origin = 'http://localhost:5173';
    const res = await widgetChat(server, await demoKey(server), origin, { session_id: sid(), message: 'How much is a tax return?' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(vary(res.headers)).toEqual(expect.arrayContaining(['origin', 'accept-encoding']));

    const history = await raw(`/api/widget/history?session_id=${sid()}&key=${await demoKey(server)}`, { Origin: origin, 'Accept-Encoding': 'br' });
    expect(history.status).toBe(200);
    expect(vary(history)).toEqual(expect.arrayContaining(['origin', 'accept-encoding']));
  });

  it("compresses Mission Control's script and stylesheet, and still answers their ETag with a 304", async () => {
    const html = (await raw('/app/')).body.toString();
    const assets = [...html.matchAll(/(?:src|href)="\.?\/?((?:app\/)?assets\/[^"]+\.(?:js|css))"/g)].map((m) => `/app/${m[1]!.replace(/^app\//, '')}`);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    for (const asset of assets) {
      const identity = await raw(asset);
      expect(identity.status).toBe(200);
      expect(identity.headers['content-encoding']).toBeUndefined();
      expect(Number(identity.headers['content-length'])).toBe(identity.body.length);
      const br = await raw(asset, { 'Accept-Encoding': 'gzip, br' });
      expect(br.headers['content-encoding'], asset).toBe('br');
      expect(br.headers['content-length']).toBeUndefined();
      expect(vary(br)).toContain('accept-encoding');
      expect(decoded(br).equals(identity.body)).toBe(true);
      const gzip = await raw(asset, { 'Accept-Encoding': 'gzip' });
      expect(gzip.headers['content-encoding']).toBe('gzip');
      expect(decoded(gzip).equals(identity.body)).toBe(true);

      expect(br.headers.etag).toBeTruthy();
      expect(br.headers.etag).toBe(identity.headers.etag);
      const again = await raw(asset, { 'Accept-Encoding': 'gzip, br', 'If-None-Match': br.headers.etag! });
      expect(again.status).toBe(304);
      expect(again.body.length).toBe(0);
    }
  });

  it('compresses JSON over 1 KB and leaves smaller JSON as it is', async () => {
    const spec = await raw('/api/openapi.json', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(spec.status).toBe(200);
    expect(spec.headers['content-encoding']).toBe('br');
    expect(vary(spec)).toContain('accept-encoding');
    expect(JSON.parse(decoded(spec).toString())).toHaveProperty('openapi');

    const health = await raw('/api/health', { 'Accept-Encoding': 'gzip, deflate, br' });
    expect(health.status).toBe(200);
    expect(health.body.length).toBeLessThan(1024);
    expect(health.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(health.body.toString())).toBeTruthy();
  });

  it('never compresses an event stream: the visitor and staff streams deliver each event at once', async () => {
    const origin = 'http://localhost:5173';
    const key = await demoKey(server);
    const session_id = sid();
    const accept = { 'Accept-Encoding': 'gzip, deflate, br' };
    const visitor = await SseClient.open(new URL(`/api/widget/stream?session_id=${session_id}&key=${key}`, server.url).href, { Origin: origin, ...accept });
    const owner = await login(server, DEMO_OWNER);
    const staff = await SseClient.open(new URL('/api/events', server.url).href, { ...owner.bearer, ...accept });
    try {
      for (const s of [visitor, staff]) {
        expect(s.status).toBe(200);
        expect(s.headers!.get('content-type')).toMatch(/^text\/event-stream/);
        expect(s.headers!.get('content-encoding')).toBeNull();
      }
      const message = `How much is a tax return? (${session_id})`;
      expect((await widgetChat(server, key, origin, { session_id, message })).status).toBe(200);
      // A compressor would hold these back until its buffer filled or the stream ended.
      const sent = performance.now();
      await visitor.next((e) => e.event === 'message' && e.data.body === message, 1000);
      await staff.next((e) => e.event === 'message.created' && e.data.message.body === message, 1000);
      expect(performance.now() - sent).toBeLessThan(1000);
    } finally {
      visitor.close();
      staff.close();
    }
  });

  it('never compresses a streamed chat answer', async () => {
    const key = await demoKey(server);
    const res = await new Promise<http.IncomingMessage>((resolve, reject) => {
      const req = http.request(new URL('/api/widget/chat', server.url), {
        method: 'POST',
        agent: false,
        headers: { 'Content-Type': 'application/json', 'X-Widget-Key': key, Origin: 'http://localhost:5173', 'Accept-Encoding': 'gzip, br' },
      });
      req.on('response', resolve).on('error', reject);
      req.end(JSON.stringify({ session_id: sid(), message: 'How much is a tax return?', stream: true }));
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(res.headers['content-encoding']).toBeUndefined();
    let text = '';
    for await (const chunk of res) text += String(chunk);
    expect(text).toContain('event: reply');
  });
});

describe('isCompressible', () => {
  it('takes text, scripts, JSON and SVG, never event streams or formats compressed already', () => {
    for (const t of ['application/javascript; charset=utf-8', 'text/css; charset=utf-8', 'text/html; charset=utf-8', 'application/json', 'application/problem+json', 'image/svg+xml', 'text/csv; charset=utf-8', 'text/plain'])
      expect(isCompressible(t), t).toBe(true);
    for (const t of ['text/event-stream', 'text/event-stream; charset=utf-8', 'image/png', 'font/woff2', 'application/pdf', 'application/octet-stream', 'application/zip', ''])
      expect(isCompressible(t), t).toBe(false);
  });
});
