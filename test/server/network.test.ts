import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/server/config';
import { createLogger } from '../../src/server/logger';
import { addressKindOf, isLocalNetworkAddress, listenScopeOf } from '../../src/server/modules/network/network.settings';
import { startServer } from '../../src/server/server';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';

// Settings → Connection through real HTTP: the public address the snippet carries, where Bob
// listens (re-listening live, no restart), and the reachability check.

const reaches = async (url: string) => {
  try {
    return (await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(2000) })).status === 200;
  } catch {
    return false;
  }
};

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

async function changeDemoPasswords(bob: TestServer) {
  for (const who of [DEMO_ADMIN, DEMO_OWNER]) {
    const s = await login(bob, who);
    const res = await bob.send('POST', '/api/auth/password', { current_password: who.password, new_password: `${who.password}-changed-2026` }, s.bearer);
    expect(res.status).toBe(204);
  }
}

describe('Settings → Connection', () => {
  let bob: TestServer;
  let admin: Session;
  beforeAll(async () => {
    bob = await startTestServer();
    admin = await login(bob, DEMO_ADMIN);
  });
  afterAll(() => bob?.close());

  const put = (body: unknown, s = admin) => bob.send('PUT', '/api/settings/network', body, s.bearer);

  it('shows where Bob listens and that the snippet points at this computer', async () => {
    const res = await bob.fetch('/api/settings/network', { headers: admin.bearer });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      public_url: bob.url,
      public_url_kind: 'loopback',
      public_url_source: 'listening',
      listen: 'loopback',
      port: bob.port,
      listening_url: bob.url,
      managed: { public_url: false, listen: false, port: true }, // the test sets BOB_PORT=0
      demo_passwords: true,
    });
    const owner = await login(bob, DEMO_OWNER);
    const setup = await (await bob.fetch('/api/widget/setup', { headers: owner.bearer })).json();
    expect(setup.public_url_kind).toBe('loopback');
  });

  it('is for platform admins only', async () => {
    const owner = await login(bob, DEMO_OWNER);
    expect((await bob.fetch('/api/settings/network', { headers: owner.bearer })).status).toBe(403);
    expect((await put({ listen: 'all' }, owner)).status).toBe(403);
    expect((await bob.fetch('/api/settings/network')).status).toBe(401);
    expect((await bob.send('POST', '/api/settings/network/check', {})).status).toBe(401);
  });

  it('refuses addresses that are not a plain scheme://host[:port], naming the field', async () => {
    for (const public_url of ['ftp://chat.example.com', 'https://chat.example.com/bob', 'https://chat.example.com/?t=1', 'https://u:p@chat.example.com', 'chat.example.com']) {
      const res = await put({ public_url });
      expect(res.status, public_url).toBe(400);
      expect((await res.json()).error.details[0].path).toEqual(['body', 'public_url']);
    }
    expect((await put({ listen: 'everyone' })).status).toBe(400);
    expect((await put({ port: 70000 })).status).toBe(400);
    expect((await put({ extra: 1 })).status).toBe(400);
  });

  it('keeps Bob on this computer while the demo passwords are unchanged', async () => {
    for (const body of [{ listen: 'all' }, { listen: 'lan' }, { public_url: 'https://chat.example.com' }]) {
      const res = await put(body);
      expect(res.status, JSON.stringify(body)).toBe(409);
      expect((await res.json()).error).toMatchObject({ code: 'demo_passwords_unchanged', details: { accounts: ['admin@office16852.com', 'customer@business.com'] } });
    }
    expect(await reaches(`http://127.0.0.2:${bob.port}`)).toBe(false);
    // A loopback public address changes nothing that others could reach: allowed.
    const ok = await put({ public_url: `http://localhost:${bob.port}` });
    expect(ok.status).toBe(200);
    expect((await ok.json()).public_url).toBe(`http://localhost:${bob.port}`);
    expect((await put({ public_url: null })).status).toBe(200);
  });

  it('refuses to change a field the environment sets', async () => {
    const res = await put({ port: bob.port + 1 });
    expect(res.status).toBe(409);
    expect((await res.json()).error).toMatchObject({ code: 'managed_by_environment', details: { variable: 'BOB_PORT' } });
    // Sending the current value back (a form sends every field) is fine.
    expect((await put({ port: bob.port, listen: 'loopback' })).status).toBe(200);
  });

  it('moves to 127.0.0.2 with listen=all and back, without a restart; the snippet and the check follow', async () => {
    await changeDemoPasswords(bob);
    admin = await login(bob, { email: DEMO_ADMIN.email, password: `${DEMO_ADMIN.password}-changed-2026` });
    const port = bob.port;
    const publicUrl = `http://127.0.0.2:${port}`;

    const res = await put({ public_url: publicUrl, listen: 'all' });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ public_url: publicUrl, public_url_source: 'settings', listen: 'all', port, listening_url: `http://127.0.0.1:${port}`, demo_passwords: false });
    expect(await reaches(publicUrl)).toBe(true);
    expect(await reaches(`http://127.0.0.1:${port}`)).toBe(true);

    const owner = await login(bob, { email: DEMO_OWNER.email, password: `${DEMO_OWNER.password}-changed-2026` });
    const setup = await (await bob.fetch('/api/widget/setup', { headers: owner.bearer })).json();
    expect(setup.snippet).toContain(`${publicUrl}/widget/`);
    expect(setup.public_url_kind).toBe('loopback');
    // The invite link uses it too.
    const invite = await (await bob.send('POST', '/api/team', { email: 'new.agent@business.com', name: 'New Agent', role: 'agent' }, owner.bearer)).json();
    expect(invite.invite_url).toMatch(new RegExp(`^${publicUrl}/app/#/invite/`));

    const check = await (await bob.send('POST', '/api/settings/network/check', {}, admin.bearer)).json();
    expect(check).toMatchObject({ url: publicUrl, result: 'reachable', reason: null });

    const audit = await (await bob.fetch('/api/audit?action=settings.network_updated', { headers: admin.bearer })).json();
    expect(audit.data[0]).toMatchObject({ action: 'settings.network_updated', before: { listen: 'loopback' }, after: { listen: 'all', public_url: publicUrl } });

    const back = await put({ listen: 'loopback', public_url: null });
    expect(back.status).toBe(200);
    expect(await back.json()).toMatchObject({ listen: 'loopback', public_url: `http://127.0.0.1:${port}`, public_url_source: 'listening' });
    expect(await reaches(publicUrl)).toBe(false);
    expect(await reaches(`http://127.0.0.1:${port}`)).toBe(true);
  });

  it('tells a dead address from another server, within 5 s', async () => {
    const dead = `http://127.0.0.3:${await freePort()}`;
    const started = Date.now();
    const res = await bob.send('POST', '/api/settings/network/check', { public_url: dead }, admin.bearer);
    expect(await res.json()).toMatchObject({ url: dead, result: 'unreachable', reason: 'refused' });
    expect(Date.now() - started).toBeLessThan(5500);

    // Something answers 200 on that address, but it is not this Bob (a router page, another app).
    const other = http.createServer((_req, r) => r.writeHead(200, { 'Content-Type': 'application/json' }).end('{"status":"ok","check":"00"}'));
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      expect(await (await bob.send('POST', '/api/settings/network/check', { public_url: otherUrl }, admin.bearer)).json()).toMatchObject({ result: 'other_server', reason: 'not_bob' });
      // Another Bob (its own database) cannot answer for this one.
      const another = await startTestServer();
      try {
        expect(await (await bob.send('POST', '/api/settings/network/check', { public_url: another.url }, admin.bearer)).json()).toMatchObject({ result: 'other_server', reason: 'not_bob' });
      } finally {
        await another.close();
      }
    } finally {
      await new Promise((r) => other.close(r));
    }
    // An unknown name: DNS.
    expect(await (await bob.send('POST', '/api/settings/network/check', { public_url: 'http://bob-check.invalid' }, admin.bearer)).json()).toMatchObject({ result: 'unreachable', reason: 'dns' });
  });

  it('answers a malformed check nonce with 400', async () => {
    expect((await bob.fetch('/api/health?check=zz')).status).toBe(400);
  });
});

describe('Settings → Connection, port and persistence', () => {
  it('changes the port live, refuses a taken one, and keeps the settings across a restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-network-'));
    // Port 0 without BOB_PORT in the environment: the port is Bob's to change.
    const config = { ...loadConfig({ BOB_DATA_DIR: dataDir, BOB_LOG_LEVEL: 'silent' }), port: 0 };
    let bob = await startServer({ config, logger: createLogger('silent') });
    try {
      const admin = await (await fetch(`${bob.url}/api/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(DEMO_ADMIN) })).json();
      const auth = { Authorization: `Bearer ${admin.token}`, 'Content-Type': 'application/json' };
      const put = (body: unknown) => fetch(`${bob.url}/api/settings/network`, { method: 'PUT', headers: auth, body: JSON.stringify(body) });
      const urls: string[] = [];
      bob.onUrlChange((u) => urls.push(u));

      // Taken by another program: 409, and Bob stays where it was.
      const taken = http.createServer();
      await new Promise<void>((r) => taken.listen(0, '127.0.0.1', r));
      const takenPort = (taken.address() as AddressInfo).port;
      const before = bob.url;
      const refused = await put({ port: takenPort });
      expect(refused.status).toBe(409);
      expect((await refused.json()).error).toMatchObject({ code: 'port_in_use', details: { port: takenPort } });
      expect(bob.url).toBe(before);
      expect(await reaches(before)).toBe(true);
      await new Promise((r) => taken.close(r));

      const port = await freePort();
      const moved = await put({ port });
      expect(moved.status).toBe(200);
      expect((await moved.json()).listening_url).toBe(`http://127.0.0.1:${port}`);
      expect(bob.url).toBe(`http://127.0.0.1:${port}`);
      expect(urls).toEqual([`http://127.0.0.1:${port}`]);
      expect(await reaches(bob.url)).toBe(true);
      expect(await reaches(before)).toBe(false);

      await bob.close();
      bob = await startServer({ config, logger: createLogger('silent') });
      expect(bob.url).toBe(`http://127.0.0.1:${port}`);
    } finally {
      await bob.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('shows BOB_PUBLIC_URL and BOB_HOST as read-only', async () => {
    const bob = await startTestServer({ env: { BOB_PUBLIC_URL: 'https://chat.business.example', BOB_HOST: '127.0.0.1' } });
    try {
      const admin = await login(bob, DEMO_ADMIN);
      const view = await (await bob.fetch('/api/settings/network', { headers: admin.bearer })).json();
      expect(view).toMatchObject({ public_url: 'https://chat.business.example', public_url_kind: 'public', public_url_source: 'environment', managed: { public_url: true, listen: true, port: true } });
      const res = await bob.send('PUT', '/api/settings/network', { public_url: 'https://other.example' }, admin.bearer);
      expect((await res.json()).error).toMatchObject({ code: 'managed_by_environment', details: { variable: 'BOB_PUBLIC_URL' } });
      const host = await bob.send('PUT', '/api/settings/network', { listen: 'all' }, admin.bearer);
      expect((await host.json()).error).toMatchObject({ code: 'managed_by_environment', details: { variable: 'BOB_HOST' } });
    } finally {
      await bob.close();
    }
  });
});

describe('address kinds', () => {
  it('tells loopback, local-network and public addresses apart', () => {
    expect(['http://127.0.0.1:4600', 'http://localhost', 'http://[::1]:80', 'http://app.localhost'].map(addressKindOf)).toEqual(['loopback', 'loopback', 'loopback', 'loopback']);
    expect(['http://192.168.1.20:4600', 'http://10.0.0.5', 'http://bob-pc:4600', 'http://bob.local', 'http://[fd00::1]'].map(addressKindOf)).toEqual(['private', 'private', 'private', 'private', 'private']);
    expect(['https://chat.example.com', 'http://203.0.114.7', 'https://[2a00:1450::1]'].map(addressKindOf)).toEqual(['public', 'public', 'public']);
    expect([undefined, '8.8.8.8', '2a00:1450::1'].map(isLocalNetworkAddress)).toEqual([false, false, false]);
    expect(['127.0.0.1', '::ffff:192.168.1.9', '10.1.2.3', 'fe80::1', '::1'].map(isLocalNetworkAddress)).toEqual([true, true, true, true, true]);
    expect(['127.0.0.1', '0.0.0.0', '::', '192.168.1.9', '203.0.114.7'].map(listenScopeOf)).toEqual(['loopback', 'all', 'all', 'lan', 'all']);
  });
});
