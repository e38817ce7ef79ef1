import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openSecretStore } from '../../src/main/secret-store';
import { demoKey, sid, widgetChat } from '../helpers/chat';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';
import { postStream } from '../helpers/sse';

const ORIGIN = 'http://localhost:3000';
let fake: FakeOpenAi;
let server: TestServer;
let admin: Session;
let owner: Session;

beforeAll(async () => {
  fake = await startFakeOpenAi();
  server = await startTestServer({ env: { BOB_LLM_API_KEY: 'sk-env-key-123' } });
  admin = await login(server, DEMO_ADMIN);
  owner = await login(server, DEMO_OWNER);
  const saved = await server.send('PUT', '/api/settings/model', { enabled: true, base_url: fake.url, model: 'fake-model', timeout_ms: 1000 }, admin.bearer);
  expect(saved.status, await saved.clone().text()).toBe(200);
});
afterAll(async () => {
  await server.close();
  await fake.close();
});
beforeEach(() => {
  fake.requests.length = 0;
});

// The platform's own site sells its plans, so the pricebook grounds its Bob; a business's Bob is
// grounded in that business's catalog (the last describe block).
const PLATFORM = 'office16852-platform';
const ask = async (message: string, session_id = sid(), slug = PLATFORM) =>
  (await widgetChat(server, await demoKey(server, slug), ORIGIN, { session_id, message })).json() as Promise<{ reply: string; handoff: boolean; status: string; basis: Record<string, unknown> | null }>;
const streamAsk = async (message: string, session_id = sid(), slug = PLATFORM) =>
  postStream(`${server.url}/api/widget/chat`, { session_id, message }, { 'X-Widget-Key': await demoKey(server, slug), Origin: ORIGIN });
const usageToday = async () => {
  const u = (await (await server.fetch('/api/usage', { headers: admin.bearer })).json()) as { days: { model_replies: number; model_fallbacks: number; ai_replies: number }[] };
  return u.days.at(-1)!;
};

describe('model provider', () => {
  it('answers with the model, grounded in the persona, the published pricebook and the conversation', async () => {
    const personas = (await (await server.fetch('/api/personas', { headers: admin.bearer })).json()) as { data: { id: string; version: number }[] };
    const p = personas.data[0]!;
    const prompt = `Always mention our free parking. ${randomUUID()}`;
    expect((await server.send('PATCH', `/api/personas/${p.id}`, { systemPrompt: prompt, tone: 'formal' }, admin.bearer)).status).toBe(200);

    fake.setMode({ kind: 'reply', text: 'Good afternoon. Pro is $249 per month, and there is free parking.' });
    const session = sid();
    const first = await ask('Hello!', session);
    expect(first.reply).toBe('Good afternoon. Pro is $249 per month, and there is free parking.');
    const second = await ask('How much is Pro?', session);
    expect(second.reply).toContain('$249');

    const req = fake.requests.at(-1)!;
    expect(req.headers.authorization).toBe('Bearer sk-env-key-123');
    expect(req.body.model).toBe('fake-model');
    const system = req.body.messages[0];
    expect(system.role).toBe('system');
    expect(system.content).toContain(prompt);
    expect(system.content).toContain('formal');
    for (const price of ['$79', '$249', '$899', '75,000']) expect(system.content).toContain(price);
    // The conversation so far, then the new message.
    expect(req.body.messages.slice(1).map((m: { role: string; content: string }) => m.role)).toEqual(['user', 'assistant', 'user']);
    expect(req.body.messages.at(-1).content).toBe('How much is Pro?');
    const usage = await usageToday();
    expect(usage.model_replies).toBeGreaterThanOrEqual(2);
  });

  it('grounds the model in the FAQ entry that matches the question, and only that one', async () => {
    const faq = async (question: string, answer: string) => expect((await server.send('POST', '/api/faq', { question, answer }, admin.bearer)).status).toBe(201);
    await faq('Do you offer parking for visitors?', 'Yes, free parking behind the building, entrance on Via Roma.');
    await faq('Can I pay by bank transfer?', 'Yes, bank transfer and card are both fine.');
    fake.setMode({ kind: 'reply', text: 'Yes, there is free parking behind the building.' });
    await ask('Is there visitor parking?');
    const system = fake.requests.at(-1)!.body.messages[0].content as string;
    expect(system).toContain('Yes, free parking behind the building, entrance on Via Roma.');
    expect(system).not.toContain('bank transfer');
  });

  it('follows a newly published pricebook in the grounding', async () => {
    const draft = (await (await server.send('POST', '/api/pricebook/versions', {}, admin.bearer)).json()) as { version: number; plans: { id: string; price_month: number }[] };
    const plans = draft.plans.map((pl) => (pl.id === 'pro' ? { ...pl, price_month: 279 } : pl));
    expect((await server.send('PUT', `/api/pricebook/versions/${draft.version}`, { plans }, admin.bearer)).status).toBe(200);
    expect((await server.send('POST', `/api/pricebook/versions/${draft.version}/publish`, {}, admin.bearer)).status).toBe(200);
    fake.setMode({ kind: 'reply', text: 'Pro is now $279 per month.' });
    expect((await ask('Price of Pro?')).reply).toBe('Pro is now $279 per month.');
    expect(fake.requests.at(-1)!.body.messages[0].content).toContain('$279');
    // The old price is no longer published: the guard refuses it.
    fake.setMode({ kind: 'reply', text: 'Pro is $249 per month.' });
    const stale = await ask('Price of Pro?');
    expect(stale.reply).not.toContain('$249');
    expect(stale.reply).toContain('279');
  });

  it('streams tokens in order, then the final reply', async () => {
    const text = 'Hello! The Base plan is $79 per month with 15,000 AI credits. Anything else I can help with?';
    fake.setMode({ kind: 'reply', text, chunkDelayMs: 30 });
    const { status, events } = await streamAsk('Tell me about Base');
    expect(status).toBe(200);
    const tokens = events.filter((e) => e.event === 'token');
    const reply = events.at(-1)!;
    expect(reply.event).toBe('reply');
    expect(reply.data.reply).toBe(text);
    expect(tokens.length).toBeGreaterThan(3);
    const streamed = tokens.map((e) => e.data.text).join('');
    expect(text.startsWith(streamed)).toBe(true);
    expect(streamed.length).toBeGreaterThan(text.length / 2);
    // The first words arrived well before the answer was complete.
    expect(tokens[0]!.at).toBeLessThan(reply.at - 200);
  });

  it('never shows a price that is not published, streamed or not: the built-in responder answers', async () => {
    const before = await usageToday();
    fake.setMode({ kind: 'reply', text: 'Sure! The Pro plan costs only $199 per month this week, a great deal.', chunkDelayMs: 10 });
    const { events } = await streamAsk('How much is Pro?');
    const streamed = events.filter((e) => e.event === 'token').map((e) => e.data.text).join('');
    expect(streamed).not.toContain('199');
    const final = events.at(-1)!;
    expect(final.event).toBe('reply');
    expect(final.data.reply).not.toContain('199');
    expect(final.data.reply).toMatch(/279/); // the built-in answer, from the published pricebook
    const plain = await ask('How much is Pro?');
    expect(plain.reply).not.toContain('199');
    expect((await usageToday()).model_fallbacks).toBe(before.model_fallbacks + 2);
    expect(server.logs.some((l) => l.includes('price_not_in_pricebook') && l.includes('$199'))).toBe(true);
  });

  it.each([
    ['a timeout', { kind: 'slow', delayMs: 5000, text: 'too late' }, 'timeout'],
    ['an HTTP error', { kind: 'fail', status: 500, body: 'boom' }, 'http'],
    ['a malformed answer', { kind: 'malformed' }, 'malformed'],
    ['a dropped connection', { kind: 'reset' }, 'network'],
  ] as const)('falls back to the built-in responder on %s, within the timeout, and logs it', async (_what, mode, kind) => {
    fake.setMode(mode as never);
    const started = Date.now();
    const res = await ask('How much is Base?');
    expect(Date.now() - started).toBeLessThan(2500);
    expect(res.reply).toContain('$79');
    expect(server.logs.some((l) => l.includes('model answer not used') && l.includes(`"reason":"${kind}"`))).toBe(true);
    expect(server.logs.join('\n')).not.toContain('sk-env-key-123');
  });

  it('lets a request for a person win over the model, and "UNKNOWN" fall to the honest built-in answer', async () => {
    fake.setMode({ kind: 'reply', text: 'I can help!' });
    const res = await ask('I want to talk to a person please');
    expect(res.handoff).toBe(true);
    expect(fake.requests).toHaveLength(0);
    fake.setMode({ kind: 'reply', text: 'UNKNOWN' });
    const unknown = await ask('Do you sell garden gnomes?');
    expect(unknown.reply).not.toContain('UNKNOWN');
    expect(fake.requests).toHaveLength(1);
  });
});

describe('streaming without a model', () => {
  it('sends the built-in answer as one token, then the reply; errors before the stream stay JSON', async () => {
    const plain = await startTestServer();
    try {
      const key = await demoKey(plain);
      const { status, events } = await postStream(`${plain.url}/api/widget/chat`, { session_id: sid(), message: 'How much is a tax return?' }, { 'X-Widget-Key': key, Origin: ORIGIN });
      expect(status).toBe(200);
      expect(events.map((e) => e.event)).toEqual(['token', 'reply']);
      expect(events[0]!.data.text).toBe(events[1]!.data.reply);
      expect(events[1]!.data.reply).toContain('€180.00');
      const refused = await postStream(`${plain.url}/api/widget/chat`, { session_id: sid(), message: 'Hi' }, { 'X-Widget-Key': key, Origin: 'https://evil.example' });
      expect(refused.status).toBe(403);
      expect(refused.json).toMatchObject({ error: { code: 'origin_not_allowed' } });
      const invalid = await postStream(`${plain.url}/api/widget/chat`, { session_id: sid(), message: '' }, { 'X-Widget-Key': key, Origin: ORIGIN });
      expect(invalid.status).toBe(400);
    } finally {
      await plain.close();
    }
  });
});

describe("a business's model answers", () => {
  const BUSINESS = 'business-co';

  it('are grounded in its own catalog, profile and hours, never in the platform\'s plans, with a receipt', async () => {
    fake.setMode({ kind: 'reply', text: 'A tax return is €180.00 each.' });
    const r = await ask('How much is a tax return?', sid(), BUSINESS);
    expect(r.reply).toBe('A tax return is €180.00 each.');
    expect(r.basis).toMatchObject({ responder: 'model', catalog_version: 1, pricebook_version: null, items: ['tax-return'] });
    const system = fake.requests.at(-1)!.body.messages[0].content as string;
    for (const fact of ['Published catalog (version 1, EUR', 'Tax return [Accounting]: €180.00', 'Via del Corso 12', 'Opening hours (Europe/Rome): Mon–Fri 09:00–13:00 and 14:00–18:00', 'Now at the business:']) {
      expect(system).toContain(fact);
    }
    for (const plan of ['$249', 'Enterprise', 'AI credits']) expect(system).not.toContain(plan);
  });

  it('never show a price that is not in its catalog, streamed or not: the built-in answer goes out', async () => {
    fake.setMode({ kind: 'reply', text: 'Good news: a tax return costs just €175.00 this month.', chunkDelayMs: 10 });
    const { events } = await streamAsk('How much is a tax return?', sid(), BUSINESS);
    const streamed = events.filter((e) => e.event === 'token').map((e) => e.data.text).join('');
    expect(streamed).not.toContain('175');
    expect(events.at(-1)!.data.reply).toBe('Tax return costs €180.00 each. Anything else I can help with?');
    expect(events.at(-1)!.data.basis).toMatchObject({ responder: 'fallback', items: ['tax-return'] });
    // The platform's own prices are not this business's either.
    fake.setMode({ kind: 'reply', text: 'The Pro plan is $249 per month.' });
    const plain = await ask('How much is Pro?', sid(), BUSINESS);
    expect(plain.reply).not.toContain('249');
    expect(server.logs.some((l) => l.includes('price_not_in_catalog') && l.includes('€175.00'))).toBe(true);
  });
});

describe('model settings', () => {
  it('tests the connection, and keeps editing to platform admins', async () => {
    fake.setMode({ kind: 'reply', text: 'OK' });
    const ok = (await (await server.send('POST', '/api/settings/model/test', {}, admin.bearer)).json()) as { ok: boolean; model: string };
    expect(ok).toMatchObject({ ok: true, model: 'fake-model' });
    const bad = (await (await server.send('POST', '/api/settings/model/test', { base_url: 'http://127.0.0.1:9/v1' }, admin.bearer)).json()) as { ok: boolean; error: string };
    expect(bad.ok).toBe(false);
    expect(bad.error).toBeTruthy();
    expect((await server.send('PUT', '/api/settings/model', { enabled: false, base_url: fake.url, model: 'x' }, owner.bearer)).status).toBe(403);
    const view = (await (await server.fetch('/api/settings/model', { headers: owner.bearer })).json()) as Record<string, unknown>;
    expect(view).toMatchObject({ source: 'settings', enabled: true, model: 'fake-model', api_key_set: true });
    expect(JSON.stringify(view)).not.toContain('sk-env-key-123');
  });

  it('is read-only when BOB_LLM_BASE_URL and BOB_LLM_MODEL are set', async () => {
    const envServer = await startTestServer({ env: { BOB_LLM_BASE_URL: fake.url, BOB_LLM_MODEL: 'fake-model' } });
    try {
      const a = await login(envServer, DEMO_ADMIN);
      const res = await envServer.send('PUT', '/api/settings/model', { enabled: false, base_url: fake.url, model: 'x' }, a.bearer);
      expect(res.status).toBe(409);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('managed_by_environment');
      fake.setMode({ kind: 'reply', text: 'From the environment model.' });
      const r = await widgetChat(envServer, await demoKey(envServer), ORIGIN, { session_id: sid(), message: 'Hi' });
      expect(((await r.json()) as { reply: string }).reply).toBe('From the environment model.');
      expect(fake.requests.at(-1)!.headers.authorization).toBeUndefined();
    } finally {
      await envServer.close();
    }
  });

  it('uses the API key kept in the OS keychain, read when needed (no restart)', async () => {
    const store = await openSecretStore(`Bob test ${randomUUID()}`);
    expect(store.kind, store.reason).toBe('os-keychain');
    const keyed = await startTestServer({ env: { BOB_LLM_BASE_URL: fake.url, BOB_LLM_MODEL: 'fake-model' }, llmApiKey: () => store.get('llm-api-key') });
    try {
      fake.setMode({ kind: 'reply', text: 'Hello.' });
      await widgetChat(keyed, await demoKey(keyed), ORIGIN, { session_id: sid(), message: 'Hi' });
      expect(fake.requests.at(-1)!.headers.authorization).toBeUndefined();
      await store.set('llm-api-key', 'sk-from-keychain-456');
      await widgetChat(keyed, await demoKey(keyed), ORIGIN, { session_id: sid(), message: 'Hi again' });
      expect(fake.requests.at(-1)!.headers.authorization).toBe('Bearer sk-from-keychain-456');
    } finally {
      await store.delete('llm-api-key');
      await keyed.close();
    }
  });
});
