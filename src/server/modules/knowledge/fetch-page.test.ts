import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPage, type FetchPolicy } from './fetch-page';

let site: http.Server;
let other: http.Server;
let base: string;
let otherBase: string;
const slow = new Set<http.ServerResponse>();

const listen = (s: http.Server) => new Promise<string>((r) => s.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));

beforeAll(async () => {
  site = http.createServer((req, res) => {
    const send = (status: number, type: string, body: string | Buffer, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    switch (req.url) {
      case '/page': return send(200, 'text/html; charset=utf-8', '<h1>Hello</h1>');
      case '/moved': return send(301, 'text/plain', '', { location: '/page' });
      case '/away': return send(302, 'text/plain', '', { location: `${otherBase}/page` });
      case '/loop': return send(302, 'text/plain', '', { location: '/loop' });
      case '/big': return send(200, 'text/plain', Buffer.alloc(5000, 'a'));
      case '/image': return send(200, 'image/png', Buffer.from([0x89, 0x50]));
      case '/missing': return send(404, 'text/html', 'nope');
      case '/slow': res.writeHead(200, { 'content-type': 'text/plain' }); res.write('start'); slow.add(res); return;
      default: return send(404, 'text/plain', '');
    }
  });
  other = http.createServer((_req, res) => res.end('other'));
  base = await listen(site);
  otherBase = await listen(other);
});
afterAll(async () => {
  for (const r of slow) r.destroy();
  await new Promise((r) => site.close(r));
  await new Promise((r) => other.close(r));
});

const policy: FetchPolicy = { allowPrivate: true, timeoutMs: 2000, maxBytes: 4096, maxRedirects: 3 };

describe('fetchPage', () => {
  it('fetches a page, following redirects within its origin', async () => {
    const page = await fetchPage(`${base}/moved`, policy);
    expect(page).toMatchObject({ url: `${base}/page`, mediaType: 'text/html', charset: 'utf-8' });
    expect(page.body.toString()).toBe('<h1>Hello</h1>');
  });

  it('refuses private targets unless allowed', async () => {
    await expect(fetchPage(`${base}/page`, { ...policy, allowPrivate: false })).rejects.toMatchObject({ status: 400, code: 'private_address' });
  });

  it('refuses redirects off the origin and too many redirects', async () => {
    await expect(fetchPage(`${base}/away`, policy)).rejects.toMatchObject({ code: 'redirect_off_origin' });
    await expect(fetchPage(`${base}/loop`, policy)).rejects.toMatchObject({ code: 'fetch_failed', message: expect.stringContaining('more than 3 redirects') });
  });

  it('caps the size, the type, the status and the time', async () => {
    await expect(fetchPage(`${base}/big`, policy)).rejects.toMatchObject({ code: 'page_too_large' });
    await expect(fetchPage(`${base}/image`, policy)).rejects.toMatchObject({ code: 'unsupported_page_type' });
    await expect(fetchPage(`${base}/missing`, policy)).rejects.toMatchObject({ code: 'fetch_failed', message: expect.stringContaining('HTTP 404') });
    const started = Date.now();
    await expect(fetchPage(`${base}/slow`, { ...policy, timeoutMs: 300 })).rejects.toMatchObject({ code: 'fetch_failed', message: expect.stringContaining('no answer within 0.3 s') });
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
