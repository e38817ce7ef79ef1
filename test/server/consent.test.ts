// Issue #22, informing and consent: the business's notice, the visitor's acceptance and the chat gate.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { demoKey, publicChat, sid, tenantBySlug, widgetChat } from '../helpers/chat';
import { everyRow } from '../helpers/raw-sql';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';

const ORIGIN = 'http://localhost:3000';
let server: TestServer;
let owner: Session;
let key: string;
beforeEach(async () => {
  server = await startTestServer();
  owner = await login(server, DEMO_OWNER);
  key = await demoKey(server);
});
afterEach(() => server.close());

const errorCode = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
const patch = async (settings: Record<string, unknown>, who: Session = owner, businessId?: string) => {
  const res = await server.send('PATCH', `/api/tenant${businessId ? `?business_id=${businessId}` : ''}`, { settings }, who.bearer);
  expect(res.status).toBe(200);
  return ((await res.json()) as { settings: Record<string, unknown> }).settings;
};
const widgetConsent = (session_id: string, k = key, origin: string | null = ORIGIN) =>
  server.send('POST', '/api/widget/consent', { session_id }, { 'X-Widget-Key': k, ...(origin ? { Origin: origin } : {}) });
const publicConsent = (body: Record<string, unknown>, headers: Record<string, string> = {}) => server.send('POST', '/api/chat/consent', body, headers);
const widgetConfig = async (language = 'en') =>
  (await (await server.fetch(`/api/widget/config?language=${language}`, { headers: { 'X-Widget-Key': key, Origin: ORIGIN } })).json()) as { consent: Record<string, unknown> };
const NOTICE = { en: 'We keep your messages for 90 days. See our policy.', it: 'Conserviamo i messaggi per 90 giorni. Leggi l\'informativa.' };

describe('informing and consent', () => {
  it('is off by default: messages are accepted and the widget shows no required notice', async () => {
    expect((await widgetChat(server, key, ORIGIN, { session_id: sid(), message: 'hi' })).status).toBe(200);
    expect((await publicChat(server, { session_id: sid(), message: 'hi', business_id: 'business-co' })).status).toBe(200);
    expect((await widgetConfig()).consent).toEqual({ required: false, notice: '', policy_url: '', version: 0 });
  });

  it('when required, refuses messages on the widget and anonymous paths until the session accepts', async () => {
    const settings = await patch({ consent_required: true, consent_notice: NOTICE, privacy_policy_url: 'https://business.example/privacy' });
    expect(settings).toMatchObject({ consent_required: true, consent_version: 1 });
    expect((await widgetConfig('it')).consent).toEqual({ required: true, notice: NOTICE.it, policy_url: 'https://business.example/privacy', version: 1 });
    expect((await widgetConfig('en')).consent).toMatchObject({ notice: NOTICE.en });

    const w = sid();
    const refused = await widgetChat(server, key, ORIGIN, { session_id: w, message: 'hi' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBe(ORIGIN); // the embedding page can read why
    expect(await errorCode(refused)).toBe('consent_required');
    // Nothing was stored for the refused message.
    expect((await everyRow(server.database.storage)).chat_sessions!.some((s) => s.external_id === w)).toBe(false);

    const accepted = await widgetConsent(w);
    expect(accepted.status).toBe(200);
    expect(await accepted.json()).toEqual({ session_id: w, version: 1, accepted: true });
    expect((await widgetConsent(w)).status).toBe(200); // idempotent
    expect((await widgetChat(server, key, ORIGIN, { session_id: w, message: 'hi' })).status).toBe(200);

    const p = sid();
    const anon = await publicChat(server, { session_id: p, message: 'hi', business_id: 'business-co' });
    expect(anon.status).toBe(403);
    expect(await errorCode(anon)).toBe('consent_required');
    expect((await publicConsent({ session_id: p, business_id: 'business-co' })).status).toBe(200);
    expect((await publicChat(server, { session_id: p, message: 'hi', business_id: 'business-co' })).status).toBe(200);

    // A new session id has accepted nothing.
    expect((await widgetChat(server, key, ORIGIN, { session_id: sid(), message: 'hi' })).status).toBe(403);

    // The record: the version and the time, a hash instead of the address.
    const rows = (await everyRow(server.database.storage)).visitor_consents!.filter((r) => r.session_external_id === w);
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row).toMatchObject({ tenant_id: (await tenantBySlug(server, 'business-co')).id, version: 1 });
    expect(Number.isNaN(Date.parse(String(row.accepted_at)))).toBe(false);
    expect(row.ip_hash).toMatch(/^[0-9a-f]{64}$/);
    const dump = JSON.stringify((await everyRow(server.database.storage)).visitor_consents);
    for (const address of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(dump.includes(`"${address}"`)).toBe(false);
  });

  it('does not gate staff trying a persona in the console', async () => {
    await patch({ consent_required: true });
    const started = await server.send('POST', '/api/chat/session', {}, owner.bearer);
    expect(started.status).toBe(201);
    const { session_id } = (await started.json()) as { session_id: string };
    expect((await server.send('POST', '/api/chat/message', { session_id, message: 'hi' }, owner.bearer)).status).toBe(200);
  });

  it('asks again after the notice or the policy address changes, and ignores a version a client sends', async () => {
    await patch({ consent_required: true, consent_notice: NOTICE });
    const w = sid();
    expect((await widgetConsent(w)).status).toBe(200);
    expect((await widgetChat(server, key, ORIGIN, { session_id: w, message: 'hi' })).status).toBe(200);

    // Unrelated edits and a client's own version leave it alone.
    expect(await patch({ about: 'A tax office', consent_version: 42 })).toMatchObject({ consent_version: 1 });
    expect((await widgetChat(server, key, ORIGIN, { session_id: w, message: 'still fine' })).status).toBe(200);

    expect(await patch({ consent_notice: { ...NOTICE, en: 'New notice.' } })).toMatchObject({ consent_version: 2 });
    const again = await widgetChat(server, key, ORIGIN, { session_id: w, message: 'hi again' });
    expect(again.status).toBe(403);
    expect(await errorCode(again)).toBe('consent_required');
    expect(await (await widgetConsent(w)).json()).toMatchObject({ version: 2 });
    expect((await widgetChat(server, key, ORIGIN, { session_id: w, message: 'hi again' })).status).toBe(200);

    expect(await patch({ privacy_policy_url: 'https://business.example/privacy-v3' })).toMatchObject({ consent_version: 3 });
    expect((await widgetChat(server, key, ORIGIN, { session_id: w, message: 'and again' })).status).toBe(403);
  });

  it('keeps one business\'s acceptance out of another\'s', async () => {
    const admin = await login(server, DEMO_ADMIN);
    await patch({ consent_required: true });
    await patch({ consent_required: true }, admin, 'office16852-platform');
    const s = sid();
    expect((await widgetConsent(s)).status).toBe(200); // business-co, through its key
    expect((await widgetChat(server, key, ORIGIN, { session_id: s, message: 'hi' })).status).toBe(200);
    // The same session id on the platform's anonymous path has accepted nothing there.
    const other = await publicChat(server, { session_id: s, message: 'hi' });
    expect(other.status).toBe(403);
    expect(await errorCode(other)).toBe('consent_required');
    // And an unknown business is a 404, not an acceptance.
    const unknown = await publicConsent({ session_id: s, business_id: 'nope' });
    expect(unknown.status).toBe(404);
  });

  it('refuses a bad key or origin like the widget chat, and a foreign origin on the anonymous path', async () => {
    const s = sid();
    const noKey = await widgetConsent(s, 'pk_live_nope');
    expect(noKey.status).toBe(401);
    expect(await errorCode(noKey)).toBe('invalid_widget_key');
    const badOrigin = await widgetConsent(s, key, 'https://evil.example');
    expect(badOrigin.status).toBe(403);
    expect(await errorCode(badOrigin)).toBe('origin_not_allowed');
    expect(badOrigin.headers.get('access-control-allow-origin')).toBeNull();
    const noOrigin = await widgetConsent(s, key, null);
    expect(noOrigin.status).toBe(403);
    const cross = await publicConsent({ session_id: s }, { Origin: 'https://evil.example' });
    expect(cross.status).toBe(403);
    expect(await errorCode(cross)).toBe('cross_origin_forbidden');
    expect((await everyRow(server.database.storage)).visitor_consents).toEqual([]);
  });

  it('validates the settings: notice length and policy address', async () => {
    const long = await server.send('PATCH', '/api/tenant', { settings: { consent_notice: { en: 'x'.repeat(2001), it: '' } } }, owner.bearer);
    expect(long.status).toBe(400);
    const bad = await server.send('PATCH', '/api/tenant', { settings: { privacy_policy_url: 'javascript:alert(1)' } }, owner.bearer);
    expect(bad.status).toBe(400);
  });
});
