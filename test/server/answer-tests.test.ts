import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';
import { secondBusiness, withoutDemoKnowledge } from '../helpers/demo';
import { records } from '../helpers/db';
import { rowCounts } from '../helpers/raw-sql';

// Answer tests (issue #18) through real HTTP: written, run against the published catalog and
// persona or their drafts through the widget's responder path, stored, and, where a business asks
// for it, run before every catalog or persona publish, which a failing test blocks.

interface Test {
  id: string;
  question: string;
  language: string | null;
  must_include: string[];
  must_not_include: string[];
  expect: string;
}
interface Result {
  test_id: string;
  question: string;
  reply: string;
  outcome: string;
  passed: boolean;
  failures: { kind: string; phrase?: string }[];
  why: string;
  basis: { catalog_version: number | null; items: string[]; persona_version: number | null } | null;
}
interface Run {
  id: string;
  against: string;
  trigger: string;
  subject: { catalog_version: number | null; catalog_status: string | null; persona: { id: string; name: string; version: number; draft: boolean } | null };
  total: number;
  passed: number;
  failed: number;
  created_by: string | null;
  results: Result[];
}
interface ApiError {
  error: { code: string; message: string; details?: { run_id: string; failing: { test_id: string; question: string; why: string }[] } };
}

let server: TestServer;
let admin: Session;
let owner: Session;
beforeEach(async () => {
  server = await startTestServer();
  admin = await login(server, DEMO_ADMIN);
  owner = await login(server, DEMO_OWNER);
  await withoutDemoKnowledge(server, owner);
});
afterEach(() => server.close());

const json = async <T>(res: Response, status: number): Promise<T> => {
  expect(res.status, await res.clone().text()).toBe(status);
  return res.json() as Promise<T>;
};
const get = async <T>(path: string, who = owner, status = 200) => json<T>(await server.fetch(path, { headers: who.bearer }), status);
const addTest = async (body: Record<string, unknown>, who = owner) => json<Test>(await server.send('POST', '/api/answer-tests', body, who.bearer), 201);
const runTests = async (against: 'published' | 'draft', who = owner) => json<Run>(await server.send('POST', '/api/answer-tests/run', { against }, who.bearer), 201);
const runs = async (query = '') => (await get<{ data: (Omit<Run, 'results'> & { results?: unknown })[]; next_cursor: string | null }>(`/api/answer-tests/runs${query}`)).data;
const setBlocking = async (on: boolean) =>
  json<unknown>(await server.send('PATCH', '/api/tenant', { settings: { block_publish_on_failed_tests: on } }, owner.bearer), 200);
const audits = async (prefix: string) =>
  (await get<{ data: { action: string; target_id: string }[] }>(`/api/audit?action=${prefix}`)).data.map((a) => a.action);

/** A catalog draft of business-co where the tax return costs `price`. */
async function draftWithTaxReturnAt(price: number) {
  const draft = await json<{ version: number; items: { id: string; price: number | null }[] }>(await server.send('POST', '/api/catalog/versions', {}, owner.bearer), 201);
  const items = draft.items.map((i) => (i.id === 'tax-return' ? { ...i, price } : i));
  await json(await server.send('PUT', `/api/catalog/versions/${draft.version}`, { items }, owner.bearer), 200);
  return draft.version;
}
const publishedCatalog = async () => (await json<{ version: number; items: { id: string; price: number }[] }>(await server.fetch('/api/catalog?business_id=business-co'), 200));
const defaultPersona = async () =>
  (await get<{ data: { id: string; name: string; version: number; is_default: boolean; draft: { name: string } | null }[] }>('/api/personas')).data.find((p) => p.is_default)!;

/** Rows a visitor's conversation would leave behind: none may appear during a run. */
const footprint = () => rowCounts(server.database.storage, ['chat_sessions', 'chat_messages', 'events', 'credit_usage', 'unanswered_questions']);

describe('answer tests: writing them', () => {
  it('creates, lists, edits and deletes tests, with defaults, validation and an audit trail', async () => {
    const created = await addTest({ question: '  How much is a tax return? ', must_include: ['€180'] });
    expect(created).toMatchObject({ question: 'How much is a tax return?', language: null, must_include: ['€180'], must_not_include: [], expect: 'answer' });
    const second = await addTest({ question: 'Posso parlare con una persona?', language: 'it', expect: 'handoff' });

    expect((await get<{ data: Test[] }>('/api/answer-tests')).data.map((t) => t.id)).toEqual([created.id, second.id]);
    expect(await get<Test>(`/api/answer-tests/${created.id}`)).toEqual(created);

    const edited = await json<Test>(
      await server.send('PUT', `/api/answer-tests/${created.id}`, { question: 'What does a tax return cost?', must_include: ['€180', 'tax return'], must_not_include: ['€200'] }, owner.bearer),
      200,
    );
    expect(edited).toMatchObject({ id: created.id, question: 'What does a tax return cost?', must_include: ['€180', 'tax return'], must_not_include: ['€200'], expect: 'answer' });

    for (const bad of [{ question: '' }, { question: 'x', expect: 'maybe' }, { question: 'x', must_include: [''] }, { question: 'x', language: 'fr' }, { question: 'x'.repeat(501) }]) {
      expect((await server.send('POST', '/api/answer-tests', bad, owner.bearer)).status, JSON.stringify(bad)).toBe(400);
    }
    expect((await server.send('PUT', `/api/answer-tests/${created.id}`, { question: '' }, owner.bearer)).status).toBe(400);

    expect((await server.fetch(`/api/answer-tests/${second.id}`, { method: 'DELETE', headers: owner.bearer })).status).toBe(204);
    await get(`/api/answer-tests/${second.id}`, owner, 404);
    expect((await server.fetch(`/api/answer-tests/${second.id}`, { method: 'DELETE', headers: owner.bearer })).status).toBe(404);
    await get('/api/answer-tests/not-a-uuid', owner, 400);

    // Newest first; the demo's own tests were deleted before this test began.
    expect((await audits('answer_test.')).slice(0, 4)).toEqual(['answer_test.deleted', 'answer_test.updated', 'answer_test.created', 'answer_test.created']);
  });

  it('keeps each business\'s tests and runs to itself; agents cannot use them; a platform admin names the business', async () => {
    const mine = await addTest({ question: 'How much is a tax return?', must_include: ['€180'] });
    const myRun = await runTests('published');

    const anna = await secondBusiness(server, admin);
    expect((await get<{ data: Test[] }>('/api/answer-tests', anna)).data).toEqual([]);
    const none = await json<ApiError>(await server.send('POST', '/api/answer-tests/run', { against: 'published' }, anna.bearer), 400);
    expect(none.error.code).toBe('no_tests');

    await get(`/api/answer-tests/${mine.id}`, anna, 404);
    expect((await server.send('PUT', `/api/answer-tests/${mine.id}`, { question: 'mine now' }, anna.bearer)).status).toBe(404);
    expect((await server.fetch(`/api/answer-tests/${mine.id}`, { method: 'DELETE', headers: anna.bearer })).status).toBe(404);
    await get(`/api/answer-tests/runs/${myRun.id}`, anna, 404);
    expect((await get<{ data: unknown[] }>('/api/answer-tests/runs', anna)).data).toEqual([]);
    await get('/api/answer-tests?business_id=business-co', anna, 404);

    // A business with no catalog: Bob does not know its prices; the run says so.
    await addTest({ question: 'How much is a tax return?', must_include: ['€180'] }, anna);
    const annaRun = await runTests('draft', anna);
    expect(annaRun).toMatchObject({ total: 1, failed: 1, subject: { catalog_version: null, catalog_status: null } });
    await get(`/api/answer-tests/runs/${annaRun.id}`, owner, 404);

    const viaAdmin = await get<{ data: Test[] }>('/api/answer-tests?business_id=business-co', admin);
    expect(viaAdmin.data.map((t) => t.id)).toEqual([mine.id]);
    // The platform itself has no catalog: its Bob sells its plans.
    await addTest({ question: 'How much is the Pro plan?' }, admin);
    expect((await runTests('draft', admin)).subject).toMatchObject({ catalog_version: null, catalog_status: null });

    expect((await server.send('POST', '/api/team', { email: 'agent@business.com', name: 'Agent', role: 'agent', password: 'agent-password-1' }, owner.bearer)).status).toBe(201);
    const agent = await login(server, { email: 'agent@business.com', password: 'agent-password-1' });
    const routes: [string, string][] = [
      ['GET', '/api/answer-tests'],
      ['POST', '/api/answer-tests'],
      ['GET', `/api/answer-tests/${mine.id}`],
      ['PUT', `/api/answer-tests/${mine.id}`],
      ['DELETE', `/api/answer-tests/${mine.id}`],
      ['POST', '/api/answer-tests/run'],
      ['GET', '/api/answer-tests/runs'],
      ['GET', `/api/answer-tests/runs/${myRun.id}`],
    ];
    for (const [method, path] of routes) {
      const body = method === 'POST' || method === 'PUT' ? JSON.stringify({ question: 'x', against: 'published' }) : undefined;
      expect((await server.fetch(path, { method, headers: { ...agent.bearer, 'Content-Type': 'application/json' }, body })).status, `${method} ${path}`).toBe(403);
      expect((await server.fetch(path, { method, headers: { 'Content-Type': 'application/json' }, body })).status, `${method} ${path}`).toBe(401);
    }
  });

  it('keeps at most 200 tests per business: 409 answer_test_limit', async () => {
    const tenantId = owner.user.tenant_id;
    for (let i = 0; i < 199; i++) await records(server).addAnswerTest(tenantId, `question ${i}`);
    await addTest({ question: 'the 200th' });
    const refused = await json<ApiError>(await server.send('POST', '/api/answer-tests', { question: 'the 201st' }, owner.bearer), 409);
    expect(refused.error.code).toBe('answer_test_limit');
  });
});

describe('answer tests: running them', () => {
  it('passes a test against what is published that fails against the draft, and says why; nothing is stored but the run', async () => {
    const price = await addTest({ question: 'How much is a tax return?', must_include: ['€180'], must_not_include: ['€200'] });
    const consultation = await addTest({ question: 'How much is an initial consultation?', must_include: ['€ 90', 'per hour'] });
    const italian = await addTest({ question: 'Quanto costa il tax return?', language: 'it', must_include: ['180,00 €'] });
    const person = await addTest({ question: 'I want to talk to a person', expect: 'handoff' });
    const unknown = await addTest({ question: 'Do you repair bicycles?', expect: 'handoff' });
    const draftVersion = await draftWithTaxReturnAt(200);

    const before = await footprint();
    const published = await runTests('published');
    expect(published).toMatchObject({
      against: 'published',
      trigger: 'manual',
      total: 5,
      passed: 5,
      failed: 0,
      created_by: owner.user.id,
      subject: { catalog_version: 1, catalog_status: 'published', persona: { name: 'Bob', version: 1, draft: false } },
    });
    const byTest = (run: Run, id: string) => run.results.find((r) => r.test_id === id)!;
    expect(byTest(published, price.id)).toMatchObject({ passed: true, outcome: 'answer', why: '', failures: [], basis: { catalog_version: 1, items: ['tax-return'] } });
    expect(byTest(published, price.id).reply).toContain('€180.00');
    expect(byTest(published, italian.id).reply).toMatch(/180,00\s€/u);
    expect(byTest(published, person.id)).toMatchObject({ passed: true, outcome: 'handoff', basis: null });
    expect(byTest(published, unknown.id)).toMatchObject({ passed: true, outcome: 'unanswered' });

    const draft = await runTests('draft');
    expect(draft).toMatchObject({ against: 'draft', total: 5, passed: 3, failed: 2, subject: { catalog_version: draftVersion, catalog_status: 'draft', persona: { draft: false } } });
    const failing = byTest(draft, price.id);
    expect(failing).toMatchObject({ passed: false, outcome: 'answer', basis: { catalog_version: draftVersion, items: ['tax-return'] } });
    expect(failing.reply).toContain('€200.00');
    expect(failing.failures).toEqual([{ kind: 'missing', phrase: '€180' }, { kind: 'forbidden', phrase: '€200' }]);
    expect(failing.why).toBe('Missing “€180”; says “€200”, which it must not');
    expect(byTest(draft, italian.id).why).toBe('Missing “180,00 €”');
    expect(byTest(draft, consultation.id).passed).toBe(true);

    // No conversation, message, event, unanswered question or credit came from either run.
    expect(await footprint()).toEqual(before);

    // Stored: newest first, filtered, paged; one run with every result.
    expect((await runs()).map((r) => r.id)).toEqual([draft.id, published.id]);
    const lastDraft = await runs('?against=draft&limit=1');
    expect(lastDraft).toHaveLength(1);
    expect(lastDraft[0]).toMatchObject({ id: draft.id, total: 5, passed: 3, failed: 2, subject: draft.subject });
    expect(lastDraft[0]!.results).toBeUndefined();
    expect((await runs('?against=published')).map((r) => r.id)).toEqual([published.id]);
    const page = await get<{ data: { id: string }[]; next_cursor: string }>('/api/answer-tests/runs?limit=1');
    expect(page.data.map((r) => r.id)).toEqual([draft.id]);
    const next = await get<{ data: { id: string }[]; next_cursor: string | null }>(`/api/answer-tests/runs?limit=1&cursor=${page.next_cursor}`);
    expect(next).toEqual({ data: [expect.objectContaining({ id: published.id })], next_cursor: null });
    expect(await get<Run>(`/api/answer-tests/runs/${draft.id}`)).toEqual(draft);
    await get('/api/answer-tests/runs?against=later', owner, 400);
    expect(await audits('answer_test.run')).toEqual(['answer_test.run', 'answer_test.run']);

    // Without a catalog draft, a run against the draft is a run against what is published.
    expect((await server.send('POST', `/api/catalog/versions/${draftVersion}/publish`, {}, owner.bearer)).status).toBe(200);
    expect((await runTests('draft')).subject).toMatchObject({ catalog_version: draftVersion, catalog_status: 'published' });
  });

  it('runs against the default persona\'s draft', async () => {
    const who = await addTest({ question: 'who are you?', must_include: ['Bob'] });
    const bob = await defaultPersona();
    await json(await server.send('PUT', `/api/personas/${bob.id}/draft`, { name: 'Giulia' }, owner.bearer), 200);

    const published = await runTests('published');
    expect(published.results[0]).toMatchObject({ test_id: who.id, passed: true });
    const draft = await runTests('draft');
    expect(draft.subject.persona).toEqual({ id: bob.id, name: 'Giulia', version: 1, draft: true });
    expect(draft.results[0]!.reply).toContain('Giulia');
    expect(draft.results[0]!.why).toBe('Missing “Bob”');
  });
});

describe('the publish gate (block_publish_on_failed_tests)', () => {
  it('blocks a catalog publish while a test fails against it, and lets it through when the tests pass or the setting is off', async () => {
    const price = await addTest({ question: 'How much is a tax return?', must_include: ['€180'] });
    const version = await draftWithTaxReturnAt(200);
    await setBlocking(true);

    const blocked = await json<ApiError>(await server.send('POST', `/api/catalog/versions/${version}/publish`, {}, owner.bearer), 409);
    expect(blocked.error.code).toBe('answer_tests_failed');
    expect(blocked.error.details!.failing).toEqual([{ test_id: price.id, question: 'How much is a tax return?', why: 'Missing “€180”' }]);
    expect((await publishedCatalog()).version).toBe(1);
    expect((await get<{ status: string }>(`/api/catalog/versions/${version}`)).status).toBe('draft');
    const gateRun = await get<Run>(`/api/answer-tests/runs/${blocked.error.details!.run_id}`);
    expect(gateRun).toMatchObject({ against: 'draft', trigger: 'catalog_publish', failed: 1, subject: { catalog_version: version, catalog_status: 'draft', persona: { name: 'Bob', draft: false } } });
    expect((await runs('?against=draft&limit=1'))[0]!.id).toBe(gateRun.id);
    expect(await audits('catalog.published')).toEqual([]);

    // The owner agrees with the new price: the test now expects it, and the publish goes through.
    await json(await server.send('PUT', `/api/answer-tests/${price.id}`, { question: 'How much is a tax return?', must_include: ['€200'] }, owner.bearer), 200);
    expect((await server.send('POST', `/api/catalog/versions/${version}/publish`, {}, owner.bearer)).status).toBe(200);
    expect((await publishedCatalog()).version).toBe(version);
    expect((await runs('?limit=1'))[0]).toMatchObject({ trigger: 'catalog_publish', passed: 1, failed: 0 });

    // With the setting off, a failing test does not stop a publish, and nothing is run.
    await setBlocking(false);
    const next = await draftWithTaxReturnAt(250);
    const runsBefore = (await runs()).length;
    expect((await server.send('POST', `/api/catalog/versions/${next}/publish`, {}, owner.bearer)).status).toBe(200);
    expect((await publishedCatalog()).items.find((i) => i.id === 'tax-return')!.price).toBe(250);
    expect(await runs()).toHaveLength(runsBefore);
  });

  it('publishes freely when the business has no tests, even with the setting on', async () => {
    await setBlocking(true);
    const version = await draftWithTaxReturnAt(200);
    expect((await server.send('POST', `/api/catalog/versions/${version}/publish`, {}, owner.bearer)).status).toBe(200);
    expect(await runs()).toEqual([]);
  });

  it('blocks renaming the default persona when a test expects its name: publishing the draft and saving live alike', async () => {
    const who = await addTest({ question: 'who are you?', must_include: ['Bob'] });
    const bob = await defaultPersona();
    await setBlocking(true);
    await json(await server.send('PUT', `/api/personas/${bob.id}/draft`, { name: 'Giulia' }, owner.bearer), 200);

    const blocked = await json<ApiError>(await server.send('POST', `/api/personas/${bob.id}/publish`, {}, owner.bearer), 409);
    expect(blocked.error.code).toBe('answer_tests_failed');
    expect(blocked.error.details!.failing).toEqual([{ test_id: who.id, question: 'who are you?', why: 'Missing “Bob”' }]);
    const gateRun = await get<Run>(`/api/answer-tests/runs/${blocked.error.details!.run_id}`);
    expect(gateRun).toMatchObject({ against: 'draft', trigger: 'persona_publish', subject: { catalog_version: 1, catalog_status: 'published', persona: { id: bob.id, name: 'Giulia', version: 1, draft: true } } });
    expect(await defaultPersona()).toMatchObject({ name: 'Bob', version: 1, draft: { name: 'Giulia' } });

    for (const method of ['PATCH', 'PUT']) {
      const live = await json<ApiError>(await server.send(method, `/api/personas/${bob.id}`, { name: 'Giulia', tone: 'friendly' }, owner.bearer), 409);
      expect(live.error.code).toBe('answer_tests_failed');
    }
    expect(await defaultPersona()).toMatchObject({ name: 'Bob', version: 1 });
    expect((await runs('?against=draft')).map((r) => r.trigger)).toEqual(['persona_publish', 'persona_publish', 'persona_publish']);

    // A change the tests do not mind goes through; so does any change to a persona visitors do not meet.
    expect((await json<{ tone: string; version: number }>(await server.send('PATCH', `/api/personas/${bob.id}`, { tone: 'formal' }, owner.bearer), 200)).version).toBe(2);
    const night = await json<{ id: string }>(await server.send('POST', '/api/personas', { name: 'Night shift' }, owner.bearer), 201);
    expect((await server.send('PATCH', `/api/personas/${night.id}`, { name: 'Giulia' }, owner.bearer)).status).toBe(200);

    // With the setting off, the draft is published whatever the tests say.
    await setBlocking(false);
    const published = await json<{ name: string; version: number; draft: unknown }>(await server.send('POST', `/api/personas/${bob.id}/publish`, {}, owner.bearer), 200);
    expect(published).toMatchObject({ name: 'Giulia', version: 3, draft: null });
  });
});
