import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoKey, sid, widgetChat } from '../helpers/chat';
import { eventually } from '../helpers/eventually';
import { DEMO_OWNER, login, startTestServer, TestClock, type Session, type TestServer } from '../helpers/server';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

// The demo business (business-co) through real HTTP: its Bob quotes its own catalog and hours,
// never the platform's plans, and every reply carries its receipt (reply body, transcript, webhook).
const ORIGIN = 'http://localhost:3000';
let server: TestServer;
let owner: Session;
let receiver: Receiver;
const clock = new TestClock();

beforeAll(async () => {
  server = await startTestServer({ clock, env: { BOB_ALLOW_PRIVATE_WEBHOOKS: '1' } });
  owner = await login(server, DEMO_OWNER);
  receiver = await startReceiver();
  const endpoint = await (await server.send('POST', '/api/webhooks', { url: receiver.url, events: ['message.created'] }, owner.bearer)).json();
  receiver.trust(endpoint.secret);
});
afterAll(async () => {
  await receiver?.close();
  await server?.close();
});

interface Reply {
  reply: string;
  message_id: string;
  basis: { responder: string; persona_id: string; persona_version: number; catalog_version: number | null; pricebook_version: number | null; items: string[]; faq_ids: string[]; profile: string[] } | null;
}
const ask = async (message: string, session_id = sid(), language?: 'en' | 'it') => {
  const res = await widgetChat(server, await demoKey(server), ORIGIN, { session_id, message, ...(language ? { language } : {}) });
  expect(res.status).toBe(200);
  return (await res.json()) as Reply;
};
/** Moves the test clock to an instant (the business is in Europe/Rome). */
const at = (iso: string) => clock.advance(new Date(iso).getTime() - clock.now().getTime());

describe("a business's Bob", () => {
  it('quotes its own catalog with a receipt, and never the platform\'s plans', async () => {
    const r = await ask('How much is a tax return?');
    expect(r.reply).toBe('Tax return costs €180.00 each. Anything else I can help with?');
    expect(r.basis).toEqual({ responder: 'builtin', persona_id: expect.any(String), persona_version: 1, catalog_version: 1, pricebook_version: null, items: ['tax-return'], faq_ids: [], profile: [], documents: [] });
    const it = await ask('Quanto costa il tax return?');
    expect(it.reply.replace(/\u00a0/g, ' ')).toMatch(/^Tax return costa 180,00 € each\./);

    for (const q of ['How much is Pro?', 'What are your plans?', 'Quanto costa il piano Enterprise?']) {
      const p = await ask(q);
      expect(p.reply, q).not.toMatch(/\$|249|79|899/);
    }
  });

  it('quotes a new catalog version from the next message', async () => {
    const draft = (await (await server.send('POST', '/api/catalog/versions', {}, owner.bearer)).json()) as { version: number; items: { id: string; price: number | null }[] };
    const items = draft.items.map((i) => (i.id === 'tax-return' ? { ...i, price: 195 } : i));
    expect((await server.send('PUT', `/api/catalog/versions/${draft.version}`, { items }, owner.bearer)).status).toBe(200);
    const session = sid();
    expect((await ask('How much is a tax return?', session)).reply).toContain('€180.00');
    expect((await server.send('POST', `/api/catalog/versions/${draft.version}/publish`, {}, owner.bearer)).status).toBe(200);
    const next = await ask('How much is a tax return?', session);
    expect(next.reply).toContain('€195.00');
    expect(next.basis).toMatchObject({ catalog_version: draft.version, items: ['tax-return'] });
  });

  it('answers hours at fixed times in its own time zone, closures included', async () => {
    at('2026-12-02T09:30:00Z'); // Wednesday 10:30 in Rome
    expect((await ask('Are you open now?')).reply).toMatch(/^Yes, we're open now, until 13:00\./);
    at('2026-12-02T12:30:00Z'); // 13:30, the lunch break
    expect((await ask('Siete aperti adesso?')).reply).toMatch(/^In questo momento siamo chiusi\. Riapriamo oggi alle 14:00\./);
    at('2026-12-01T23:30:00Z'); // Tuesday 23:30 UTC is already Wednesday in Rome
    expect((await ask('What time do you close today?')).reply).toMatch(/^Today we're open 09:00–13:00 and 14:00–18:00: we close at 18:00\./);
    const sunday = await ask('Are you open on Sunday?');
    expect(sunday.reply).toMatch(/^Sunday we're closed\./);
    expect(sunday.basis).toMatchObject({ profile: ['hours', 'closures'], catalog_version: null, items: [] });
    at('2026-12-25T09:00:00Z'); // Christmas, a weekday closure
    expect((await ask('Are you open today?')).reply).toMatch(/^We're closed today \(Christmas\)\. We open again Monday 28 December at 09:00\./);
    expect((await ask('Where are you?')).reply).toMatch(/^You'll find us at Via del Corso 12, 00186 Roma\./);
  });

  it('shows the receipt in the transcript and sends it with message.created', async () => {
    owner = await login(server, DEMO_OWNER); // the clock moved past the first session's expiry
    const session = sid();
    const r = await ask('How much is monthly bookkeeping?', session);
    const res = await server.fetch(`/api/chat/sessions/${session}`, { headers: owner.bearer });
    expect(res.status, await res.clone().text()).toBe(200);
    const transcript = (await res.json()) as { messages: { data: { id: string; author: string; basis: Reply['basis'] }[] } };
    const bot = transcript.messages.data.find((m) => m.id === r.message_id)!;
    expect(bot.basis).toEqual(r.basis);
    expect(r.basis).toMatchObject({ items: ['monthly-bookkeeping'] });
    expect(transcript.messages.data.find((m) => m.author === 'visitor')!.basis).toBeNull();
    const delivered = await eventually(() => receiver.received.find((d) => (d.data.message as { id?: string } | undefined)?.id === r.message_id), 5000, 'the webhook');
    expect((delivered.data.message as { basis: unknown }).basis).toEqual(r.basis);
  });
});
