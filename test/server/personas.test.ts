import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { publicChat, sid } from '../helpers/chat';
import { inTimeOrder, records } from '../helpers/db';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';

let server: TestServer;
let owner: Session;
beforeEach(async () => {
  server = await startTestServer();
  owner = await login(server, DEMO_OWNER);
});
afterEach(() => server.close());

async function defaultPersona() {
  const list = await (await server.fetch('/api/personas', { headers: owner.bearer })).json();
  return list.data.find((p: { is_default: boolean }) => p.is_default) as { id: string; name: string; version: number };
}

describe('personas', () => {
  it('serves the seed fields with an ETag and changes the next bot reply', async () => {
    const bob = await defaultPersona();
    const one = await server.fetch(`/api/personas/${bob.id}`, { headers: owner.bearer });
    expect(one.status).toBe(200);
    const etag = one.headers.get('etag')!;
    expect(Object.keys(await one.json()).sort()).toEqual(['description', 'draft', 'id', 'is_default', 'name', 'systemPrompt', 'tone', 'updated_at', 'version']);
    const patched = await server.send('PATCH', `/api/personas/${bob.id}`, { name: 'Giulia', tone: 'formal' }, { ...owner.bearer, 'If-Match': etag });
    expect(patched.status).toBe(200);
    expect(patched.headers.get('etag')).not.toBe(etag);
    const reply = await (await publicChat(server, { session_id: sid(), business_id: 'business-co', message: 'buongiorno' })).json();
    expect(reply.persona.name).toBe('Giulia');
    expect(reply.reply).toContain('Giulia');
  });

  it('refuses the second of two writes made from the same read with 412', async () => {
    const bob = await defaultPersona();
    const etag = (await server.fetch(`/api/personas/${bob.id}`, { headers: owner.bearer })).headers.get('etag')!;
    const first = await server.send('PUT', `/api/personas/${bob.id}`, { name: 'Anna', description: 'first', tone: 'friendly', systemPrompt: 'a' }, { ...owner.bearer, 'If-Match': etag });
    expect(first.status).toBe(200);
    const second = await server.send('PUT', `/api/personas/${bob.id}`, { name: 'Marco', description: 'second', tone: 'friendly', systemPrompt: 'b' }, { ...owner.bearer, 'If-Match': etag });
    expect(second.status).toBe(412);
    expect((await second.json()).error.code).toBe('precondition_failed');
    expect((await (await server.fetch(`/api/personas/${bob.id}`, { headers: owner.bearer })).json()).name).toBe('Anna');
  });

  it('keeps every version, restores one, and protects the default from deletion', async () => {
    const bob = await defaultPersona();
    await server.send('PATCH', `/api/personas/${bob.id}`, { name: 'Bob 2' }, owner.bearer);
    const versions = await (await server.fetch(`/api/personas/${bob.id}/versions`, { headers: owner.bearer })).json();
    expect(versions.data.map((v: { version: number; name: string }) => [v.version, v.name])).toEqual([[2, 'Bob 2'], [1, 'Bob']]);
    const restored = await (await server.send('POST', `/api/personas/${bob.id}/versions/1/restore`, {}, owner.bearer)).json();
    expect(restored).toMatchObject({ name: 'Bob', version: 3 });

    expect((await server.fetch(`/api/personas/${bob.id}`, { method: 'DELETE', headers: owner.bearer })).status).toBe(409);
    const other = await (await server.send('POST', '/api/personas', { name: 'Night shift', tone: 'concise' }, owner.bearer)).json();
    expect(other.is_default).toBe(false);
    expect((await server.send('POST', `/api/personas/${other.id}/default`, {}, owner.bearer)).status).toBe(200);
    expect((await server.fetch(`/api/personas/${bob.id}`, { method: 'DELETE', headers: owner.bearer })).status).toBe(204);
    expect((await defaultPersona()).name).toBe('Night shift');
  });

  it('exports and imports, validates input, and isolates tenants', async () => {
    const exported = await (await server.fetch('/api/personas/export', { headers: owner.bearer })).json();
    expect(exported.format).toBe('bob.personas.v1');
    const imported = await server.send('POST', '/api/personas/import', exported, owner.bearer);
    expect(imported.status).toBe(201);
    expect((await (await server.fetch('/api/personas', { headers: owner.bearer })).json()).data).toHaveLength(2);

    expect((await server.send('POST', '/api/personas', { name: '' }, owner.bearer)).status).toBe(400);
    expect((await server.send('POST', '/api/personas', { name: 'x'.repeat(61) }, owner.bearer)).status).toBe(400);
    expect((await server.send('POST', '/api/personas', { name: 'ok', systemPrompt: 'x'.repeat(8001) }, owner.bearer)).status).toBe(400);

    const admin = await login(server, DEMO_ADMIN);
    const platformBob = (await (await server.fetch('/api/personas', { headers: admin.bearer })).json()).data[0];
    expect((await server.fetch(`/api/personas/${platformBob.id}`, { headers: owner.bearer })).status).toBe(404);
    expect((await server.send('PATCH', `/api/personas/${platformBob.id}`, { name: 'pwned' }, owner.bearer)).status).toBe(404);
    expect((await server.fetch('/api/personas?business_id=office16852-platform', { headers: owner.bearer })).status).toBe(404);
    expect((await server.fetch('/api/personas?business_id=business-co', { headers: admin.bearer })).status).toBe(200);
    expect((await server.fetch('/api/personas')).status).toBe(401);
    const audit = (await records(server).audit()).map((a) => a.action).filter((a) => a.startsWith('persona.'));
    expect(audit).toEqual(['persona.created']);
  });
});

describe('persona drafts', () => {
  const get = async (id: string) => (await server.fetch(`/api/personas/${id}`, { headers: owner.bearer })).json();
  const greet = async () => (await (await publicChat(server, { session_id: sid(), business_id: 'business-co', message: 'buongiorno' })).json()).reply as string;
  const updatedEvents = async () => (await records(server).events()).filter((e) => e.type === 'persona.updated').length;

  it('keeps edits apart until published: then a new version, persona.updated, and the draft cleared', async () => {
    const bob = await defaultPersona();
    const etag = (await server.fetch(`/api/personas/${bob.id}`, { headers: owner.bearer })).headers.get('etag')!;
    const saved = await server.send('PUT', `/api/personas/${bob.id}/draft`, { name: 'Giulia', tone: 'formal' }, owner.bearer);
    expect(saved.status).toBe(200);
    expect(saved.headers.get('etag')).toBe(etag); // the published version did not change
    const withDraft = await saved.json();
    expect(withDraft).toMatchObject({ name: 'Bob', tone: 'friendly', version: 1, draft: { name: 'Giulia', tone: 'formal', description: expect.any(String), systemPrompt: expect.any(String), updated_at: expect.any(String) } });
    expect((await get(bob.id)).draft).toEqual(withDraft.draft);
    expect((await (await server.fetch('/api/personas', { headers: owner.bearer })).json()).data[0].draft.name).toBe('Giulia');
    expect(await greet()).toContain('Bob');
    expect(await greet()).not.toContain('Giulia');

    // A new draft replaces the last: the fields sent over the published ones.
    expect((await (await server.send('PUT', `/api/personas/${bob.id}/draft`, { name: 'Giulia' }, owner.bearer)).json()).draft).toMatchObject({ name: 'Giulia', tone: 'friendly' });
    expect((await server.send('PUT', `/api/personas/${bob.id}/draft`, { name: '' }, owner.bearer)).status).toBe(400);

    const events = await updatedEvents();
    const stale = await server.send('POST', `/api/personas/${bob.id}/publish`, {}, { ...owner.bearer, 'If-Match': '"stale.v9"' });
    expect(stale.status).toBe(412);
    const published = await server.send('POST', `/api/personas/${bob.id}/publish`, {}, { ...owner.bearer, 'If-Match': etag });
    expect(published.status).toBe(200);
    expect(await published.json()).toMatchObject({ name: 'Giulia', version: 2, draft: null });
    expect(await updatedEvents()).toBe(events + 1);
    expect(await greet()).toContain('Giulia');
    const versions = await (await server.fetch(`/api/personas/${bob.id}/versions`, { headers: owner.bearer })).json();
    expect(versions.data.map((v: { version: number; name: string }) => [v.version, v.name])).toEqual([[2, 'Giulia'], [1, 'Bob']]);

    const again = await server.send('POST', `/api/personas/${bob.id}/publish`, {}, owner.bearer);
    expect(again.status).toBe(409);
    expect((await again.json()).error.code).toBe('no_draft');

    const actions = inTimeOrder((await records(server).audit())).map((a) => a.action).filter((a) => a.startsWith('persona.'));
    expect(actions).toEqual(['persona.draft_saved', 'persona.draft_saved', 'persona.published']);
  });

  it('discards a draft, and keeps drafts to their business', async () => {
    const bob = await defaultPersona();
    await server.send('PUT', `/api/personas/${bob.id}/draft`, { systemPrompt: 'Be brief.' }, owner.bearer);
    expect((await server.fetch(`/api/personas/${bob.id}/draft`, { method: 'DELETE', headers: owner.bearer })).status).toBe(204);
    expect(await get(bob.id)).toMatchObject({ version: 1, draft: null });
    expect((await server.fetch(`/api/personas/${bob.id}/draft`, { method: 'DELETE', headers: owner.bearer })).status).toBe(204);
    expect((await server.send('POST', `/api/personas/${bob.id}/publish`, {}, owner.bearer)).status).toBe(409);

    const admin = await login(server, DEMO_ADMIN);
    const platformBob = (await (await server.fetch('/api/personas', { headers: admin.bearer })).json()).data[0];
    expect((await server.send('PUT', `/api/personas/${platformBob.id}/draft`, { name: 'pwned' }, owner.bearer)).status).toBe(404);
    expect((await server.fetch(`/api/personas/${platformBob.id}/draft`, { method: 'DELETE', headers: owner.bearer })).status).toBe(404);
    expect((await server.send('POST', `/api/personas/${platformBob.id}/publish`, {}, owner.bearer)).status).toBe(404);
    expect((await server.send('PUT', `/api/personas/${bob.id}/draft?business_id=business-co`, { name: 'Anna' }, admin.bearer)).status).toBe(200);
    expect(inTimeOrder((await records(server).audit())).map((a) => a.action).filter((a) => a.startsWith('persona.draft'))).toEqual([
      'persona.draft_saved',
      'persona.draft_discarded',
      'persona.draft_saved',
    ]);
  });
});
