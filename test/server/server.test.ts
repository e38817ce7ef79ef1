import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Validator } from '@seriousme/openapi-schema-validator';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, loadConfig } from '../../src/server/config';
import { DATABASE_FILE } from '../../src/server/db/client';
import { StartupError } from '../../src/server/server';
import { records } from '../helpers/db';
import { runHeadless } from '../helpers/process';
import { pgSettings, pragma, renameTable, rowCounts } from '../helpers/raw-sql';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type TestServer } from '../helpers/server';
import { onPostgres } from '../helpers/test-database';

const open: TestServer[] = [];
async function start(opts?: Parameters<typeof startTestServer>[0]) {
  const s = await startTestServer(opts);
  open.push(s);
  return s;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});


describe('data', () => {
  it('keeps data across a restart without duplicating the demo rows', async () => {
    const first = await start();
    const session = await login(first, DEMO_OWNER);
    const before = await rowCounts(first.database.storage, ['tenants', 'users', 'personas', 'widget_keys', 'pricebook_versions']);
    expect(before).toEqual({ tenants: 2, users: 2, personas: 2, widget_keys: 2, pricebook_versions: 1 });
    const second = await first.restart();
    open.push(second);
    const after = await rowCounts(second.database.storage, Object.keys(before));
    expect(after).toEqual(before);
    // The session survives the restart: it lives in the database, not in memory.
    expect((await second.fetch('/api/auth/me', { headers: session.bearer })).status).toBe(200);
    if (second.database.sqlite) {
      expect(pragma(second.database.sqlite, 'journal_mode')).toBe('wal');
      expect(pragma(second.database.sqlite, 'foreign_keys')).toBe(1);
    } else {
      // PostgreSQL: UTF-8, and text sorted byte-wise as SQLite does (the lists' cursors rely on it).
      expect(await pgSettings(second.database.storage)).toEqual({ encoding: 'UTF8', collate: expect.stringMatching(/^C(\.UTF-?8)?$/i) });
    }
  });

  it('seeds the published pricebook V1, one default persona and a localhost widget key per tenant', async () => {
    const s = await start();
    const pb = (await records(s).pricebooks())[0]!;
    expect(pb.version).toBe(1);
    expect(pb.status).toBe('published');
    const plans = pb.plans;
    expect(plans.map((p: { id: string; price_month: number }) => [p.id, p.price_month])).toEqual([['base', 79], ['pro', 249], ['enterprise', 899]]);
    expect(plans[2]!.seats).toBeNull();
    const keys = await records(s).widgetKeys();
    expect(keys.map((k) => k.slug)).toEqual(['business-co', 'office16852-platform']);
    for (const k of keys) {
      expect(k.key).toMatch(/^pk_live_[A-Za-z0-9_-]{32}$/);
      expect(k.allowed_origins).toEqual(['http://localhost:*', 'http://127.0.0.1:*']);
    }
    const defaults = (await records(s).personas()).filter((p) => p.is_default === 1 && p.name === 'Bob').length;
    expect(defaults).toBe(2);
  });
});

// The SQLite file's permissions (on PostgreSQL the data lives in the database server).
describe.skipIf(onPostgres)('data file permissions', () => {
  const modeOf = (f: string) => fs.statSync(f).mode & 0o777;

  it('makes an existing data dir 0700 and the database, WAL and SHM files 0600', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-perm-'));
    fs.chmodSync(dir, 0o755);
    // A database left by an older Bob with the default umask.
    fs.writeFileSync(path.join(dir, DATABASE_FILE), '', { mode: 0o644 });
    fs.chmodSync(path.join(dir, DATABASE_FILE), 0o644);
    try {
      const s = await start({ dataDir: dir });
      expect((await s.send('POST', '/api/faq', { question: 'Is parking free?', answer: 'Yes.' }, (await login(s, DEMO_OWNER)).bearer)).status).toBe(201);
      expect(modeOf(dir)).toBe(0o700);
      for (const f of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`]) {
        expect(modeOf(path.join(dir, f)), f).toBe(0o600);
      }
    } finally {
      await Promise.all(open.splice(0).map((s) => s.close()));
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('HTTP conventions', () => {
  it('puts X-Request-Id and security headers on every response, errors included', async () => {
    const s = await start();
    const ok = await s.fetch('/api/health');
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ status: 'ok', database: 'ok', database_kind: s.database.kind, instance: expect.any(String) });
    expect(ok.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(ok.headers.get('x-content-type-options')).toBe('nosniff');
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(ok.headers.get('cache-control')).toBe('no-store');

    const missing = await s.fetch('/api/nope', { headers: { 'X-Request-Id': 'trace-123' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('x-request-id')).toBe('trace-123');
    expect((await missing.json()).error.code).toBe('not_found');

    const hostile = await s.fetch('/api/health', { headers: { 'X-Request-Id': 'a b<script>' } });
    expect(hostile.headers.get('x-request-id')).not.toContain('<');
  });

  it('logs each request as one JSON line without the query string', async () => {
    const s = await start();
    await s.fetch('/api/health?check=5ec2e75ec2e75ec2e75ec2e75ec2e75e');
    const line = s.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && l.path === '/api/health');
    expect(line).toMatchObject({ level: 'info', method: 'GET', status: 200 });
    expect(s.logs.join('')).not.toContain('5ec2e75ec2e7');
  });

  it('answers an internal failure with a 500 that carries no stack trace or SQL', async () => {
    const s = await start();
    const admin = await login(s, DEMO_ADMIN);
    await renameTable(s.database.storage, 'tenants', 'tenants_moved');
    const res = await s.fetch('/api/tenants', { headers: admin.bearer });
    const text = await res.text();
    await renameTable(s.database.storage, 'tenants_moved', 'tenants');
    expect(res.status).toBe(500);
    expect(JSON.parse(text).error.code).toBe('internal');
    expect(text).not.toMatch(/SELECT|sqlite|at .*\.ts/i);
    expect(s.logs.some((l) => l.includes('"level":"error"') && l.includes('request failed'))).toBe(true);
  });
});

describe('OpenAPI and docs', () => {
  it('serves a valid OpenAPI 3.1 document listing every route the server has', async () => {
    const s = await start();
    const doc = await (await s.fetch('/api/openapi.json')).json();
    expect(doc.openapi).toBe('3.1.0');
    const result = await new Validator().validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);

    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, ops]) =>
      Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const served = s.app.api.router.stack.flatMap((layer) =>
      layer.methods.filter((m) => m !== 'HEAD').map((m) => `${m} ${String(layer.path).replace(/:(\w+)/g, '{$1}')}`),
    );
    expect(served.length).toBeGreaterThan(5);
    expect(documented.sort()).toEqual(served.sort());
    expect(doc.paths['/api/auth/login'].post.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/LoginRequest');
    expect(doc.components.schemas.LoginRequest.required).toEqual(['email', 'password']);
  });

  it('documents what the server enforces: 404 for business_id, dates, event streams', async () => {
    const s = await start();
    const doc = await (await s.fetch('/api/openapi.json')).json();
    type Op = { parameters?: { name: string; in: string; schema: Record<string, unknown> }[]; responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }> };
    const ops = Object.entries(doc.paths as Record<string, Record<string, Op>>).flatMap(([p, byMethod]) =>
      Object.entries(byMethod).map(([m, op]) => ({ route: `${m.toUpperCase()} ${p}`, op })),
    );
    const scoped = ops.filter(({ op }) => op.parameters?.some((p) => p.in === 'query' && p.name === 'business_id'));
    expect(scoped.length).toBeGreaterThan(20);
    for (const { route, op } of scoped) expect(Object.keys(op.responses), route).toContain('404');
    const usage = doc.paths['/api/usage'].get as Op;
    for (const name of ['from', 'to']) expect(usage.parameters!.find((p) => p.name === name)!.schema.format).toBe('date');
    const streams = ops.filter(({ op }) => Object.values(op.responses).some((r) => r.content?.['text/event-stream']));
    expect(streams.length).toBeGreaterThan(2);
    for (const { route, op } of streams) {
      const schema = Object.values(op.responses).find((r) => r.content?.['text/event-stream'])!.content!['text/event-stream']!.schema;
      expect(String(schema.description), route).toContain('Server-Sent Events');
      // Each stream names its event types and their data.
      expect(Object.keys((schema['x-events'] ?? {}) as object).length, route).toBeGreaterThan(1);
    }
    const chatStream = (doc.paths['/api/widget/chat'].post as Op).responses['200']!.content!['text/event-stream']!.schema['x-events'] as Record<string, { properties?: object; $ref?: string }>;
    expect(Object.keys(chatStream)).toEqual(['token', 'reply', 'error']);
    expect(chatStream.token!.properties).toHaveProperty('text');
    expect(chatStream.reply!.$ref).toBe('#/components/schemas/ChatReply');
    // Webhook URLs, widget origins and plan ids say in the document what the server enforces.
    const schemas = doc.components.schemas;
    expect(schemas.WebhookCreate.properties.url.description).toMatch(/no user name or password.*public address/);
    expect(schemas.WidgetKeyCreate.properties.allowed_origins.items.description).toMatch(/scheme:\/\/host\[:port\]/);
    expect(schemas.TenantCreate.properties.plan_id).toMatchObject({ pattern: expect.any(String), description: expect.stringMatching(/pricebook/) });
    // URLs say which schemes they take, so an ftp:// address is invalid by the document too.
    for (const url of [schemas.WebhookCreate.properties.url, schemas.ModelConfigInput.properties.base_url]) expect(new RegExp(url.pattern).test('ftp://example.com')).toBe(false);
  });

  it('refuses undeclared query parameters on every API GET route, and says so in every query schema', async () => {
    const s = await start();
    const admin = await login(s, DEMO_ADMIN);
    const key = (await records(s).widgetKeys()).find((k) => k.mode === 'live')!.key;
    const gets = s.app.api.defs.filter((d) => d.method === 'GET' && d.path.startsWith('/api/'));
    expect(gets.length).toBeGreaterThan(20);
    const concrete = (p: string) => p.replace(/:version/g, '1').replace(/:\w+/g, '00000000-0000-4000-8000-000000000000');
    for (const d of gets) {
      const route = `${d.method} ${d.path}`;
      const schema = z.toJSONSchema(d.query!, { io: 'input', unrepresentable: 'any' }) as { additionalProperties?: unknown };
      expect(schema.additionalProperties, route).toBe(false);
      const headers = d.auth === 'widget' ? { 'X-Widget-Key': key, Origin: 'http://localhost:3000' } : admin.bearer;
      const res = await s.fetch(`${concrete(d.path)}?x=1`, { headers });
      expect(`${route} → ${res.status}`).toBe(`${route} → 400`);
      expect((await res.json()).error.code, route).toBe('invalid_request');
    }
    // What the widget itself sends still works: the key in the query of its event stream.
    const stream = await s.fetch(`/api/widget/stream?session_id=s_1&key=${key}&last_event_id=0`, { headers: { Origin: 'http://localhost:3000' } });
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    await stream.body?.cancel();
    expect((await s.fetch('/api/health?check=0123456789abcdef0123456789abcdef')).status).not.toBe(400);
  });

  it('renders /docs with assets served by Bob itself', async () => {
    const s = await start();
    const page = await s.fetch('/docs');
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBe(3);
    for (const a of assets) {
      expect(a.startsWith('/')).toBe(true); // no CDN
      const asset = await s.fetch(a);
      expect(asset.status).toBe(200);
      expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
  });
});

describe('every route\'s guard', () => {
  const PLATFORM_ONLY = new Set(['tenants.manage', 'pricebook.manage', 'settings.manage']);
  const concrete = (p: string) => p.replace(/:version/g, '1').replace(/:\w+/g, '00000000-0000-4000-8000-000000000000');

  it('refuses anonymous callers on every staff route (401) and tenant owners on platform routes (403)', async () => {
    const s = await start();
    const owner = await login(s, DEMO_OWNER);
    const staff = s.app.api.defs.filter((d) => d.auth === 'user');
    expect(staff.length).toBeGreaterThan(30);
    for (const d of staff) {
      const init = { method: d.method, headers: { 'Content-Type': 'application/json' }, body: d.method === 'GET' ? undefined : '{}' };
      const anon = await s.fetch(concrete(d.path), init);
      expect(`${d.method} ${d.path} → ${anon.status}`).toBe(`${d.method} ${d.path} → 401`);
      if (d.permission && PLATFORM_ONLY.has(d.permission)) {
        const res = await s.fetch(concrete(d.path), { ...init, headers: { ...init.headers, ...owner.bearer } });
        expect(`${d.method} ${d.path} → ${res.status}`).toBe(`${d.method} ${d.path} → 403`);
      }
    }
  });
});

describe('configuration and start-up', () => {
  it('stops with one clear line, password hidden, when PostgreSQL cannot be reached', async () => {
    const url = 'postgres://bob:s3cret-pw@127.0.0.1:1/bob';
    const failed = await startTestServer({ env: { BOB_DATABASE_URL: url } }).catch((err: unknown) => err);
    expect(failed).toBeInstanceOf(StartupError);
    expect(String((failed as Error).message)).toMatch(/^Cannot use the PostgreSQL database postgres:\/\/bob:\*\*\*@127\.0\.0\.1:1\/bob \(BOB_DATABASE_URL\): .*ECONNREFUSED/);
    expect(String((failed as Error).message)).not.toContain('s3cret-pw');
  });

  it('names the bad variable', () => {
    expect(() => loadConfig({ BOB_PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ BOB_PORT: '70000' })).toThrow(/BOB_PORT/);
    expect(() => loadConfig({ BOB_PUBLIC_URL: 'ftp://x' })).toThrow(/BOB_PUBLIC_URL/);
    expect(() => loadConfig({ BOB_LOG_LEVEL: 'loud' })).toThrow(/BOB_LOG_LEVEL/);
    expect(() => loadConfig({ BOB_WEBHOOK_RETRY_SCHEDULE: '5s,soon' })).toThrow(/BOB_WEBHOOK_RETRY_SCHEDULE/);
    expect(() => loadConfig({ BOB_WEBHOOK_TIMEOUT: '10' })).toThrow(/BOB_WEBHOOK_TIMEOUT/);
    expect(loadConfig({ BOB_WEBHOOK_RETRY_SCHEDULE: '500ms, 5s,2m,1h', BOB_WEBHOOK_TIMEOUT: '3s' }).webhooks).toEqual({
      allowPrivate: false,
      retryScheduleMs: [500, 5000, 120_000, 3_600_000],
      timeoutMs: 3000,
    });
    const c = loadConfig({ BOB_DATA_DIR: '/tmp/x', BOB_PUBLIC_URL: 'https://bob.example.com/' });
    expect(c).toMatchObject({ host: '127.0.0.1', port: 4600, publicUrl: 'https://bob.example.com', webhooks: { allowPrivate: false } });
  });

  it('refuses a non-loopback bind while demo passwords are unchanged, and allows it after', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-test-'));
    const s = await start({ dataDir });
    for (const who of [DEMO_ADMIN, DEMO_OWNER]) {
      const session = await login(s, who);
      const changed = await s.send('POST', '/api/auth/password', { current_password: who.password, new_password: `${who.password}-changed-1` }, session.bearer);
      expect(changed.status).toBe(204);
    }
    await s.close();
    open.splice(open.indexOf(s), 1);

    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-test-'));
    await expect(startTestServer({ dataDir: fresh, env: { BOB_HOST: '0.0.0.0' } })).rejects.toThrow(StartupError);
    await expect(startTestServer({ dataDir: fresh, env: { BOB_HOST: '0.0.0.0' } })).rejects.toThrow(/admin@office16852\.com.*demo passwords/);

    const exposed = await start({ dataDir, env: { BOB_HOST: '0.0.0.0' } });
    // Bound on every address; its own URL reads as loopback (what the desktop window and logs use).
    expect(exposed.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`http://127.0.0.2:${exposed.port}/api/health`)).status).toBe(200);
  });
});

describe('the headless process', () => {
  it('exits 1 naming a bad BOB_PORT', async () => {
    const p = runHeadless({ BOB_PORT: 'not-a-port', BOB_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'bob-test-')) });
    expect(await p.exited).toBe(1);
    expect(p.err()).toMatch(/BOB_PORT/);
  });

  it('prints the listening line, serves, and shuts down cleanly on SIGTERM', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-test-'));
    const p = runHeadless({ BOB_PORT: '0', BOB_DATA_DIR: dataDir, BOB_LOG_LEVEL: 'warn' });
    const listening = await p.listening();
    expect(listening.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(listening.dataDir).toBe(dataDir);
    expect((await fetch(`${listening.url}/api/health`)).status).toBe(200);

    // A request still arriving when SIGTERM comes is finished before the process exits.
    const url = new URL('/api/auth/login', listening.url);
    const req = http.request(url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' } });
    const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
      req.on('response', (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      });
      req.on('error', reject);
    });
    req.write('{"email": "admin@office16852.com", ');
    await new Promise((r) => setTimeout(r, 200));
    p.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    req.end('"password": "your_password"}');
    const inFlight = await answered;
    expect(inFlight.status).toBe(200);
    expect(JSON.parse(inFlight.body).user.email).toBe('admin@office16852.com');
    expect(await p.exited).toBe(0);
    // A clean close checkpoints the WAL into the database file.
    const wal = path.join(dataDir, `${DATABASE_FILE}-wal`);
    expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);
  });
});
