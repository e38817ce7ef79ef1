import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../../../../test/helpers/fake-openai';
import type { Logger } from '../../logger';
import type { ModelSettings } from '../model/model.settings';
import { PRICEBOOK_V1 } from '../pricebook/pricebook.seed';
import { respond, type ResponderInput, type ResponderOutput } from './builtin';
import type { Knowledge, Passage } from './knowledge-index';
import { createModelResponder } from './model';
import { buildPrompt, PASSAGE_CHARS, PROMPT_PASSAGES, promptPassages } from './prompt';

const DELIVERY = 'd0000000-0000-4000-8000-000000000001';
const CATERING = 'd0000000-0000-4000-8000-000000000002';
const MENU = {
  version: 4,
  currency: 'EUR',
  items: [{ id: 'margherita', name: 'Margherita', category: 'Pizze', description: null, unit: null, price: 8.5, options: [], available: true }],
};
const knowledge = (passages: Passage[], version = 'v1'): Knowledge => ({ version, passages: () => passages });
const TERMS: Passage[] = [
  { id: `${DELIVERY}:0`, documentId: DELIVERY, title: 'Delivery terms', text: '## Delivery\nWe deliver to Milan, Monza and Sesto every day from 18:00 to 22:30.' },
  { id: `${CATERING}:0`, documentId: CATERING, title: 'Catering', text: '## Catering\nWe cater weddings and office parties; delivery of catering orders is free in Milan.' },
];

let n = 0;
const input = (message: string, over: Partial<ResponderInput> = {}): ResponderInput => ({
  tenantId: `prompt-${n++}`,
  message,
  persona: { name: 'Bob', tone: 'friendly' },
  pricebook: { version: 1, status: 'published', published_at: null, ...PRICEBOOK_V1 },
  catalog: MENU,
  faq: { version: '0', entries: [] },
  knowledge: knowledge(TERMS),
  tenant: { name: 'Pizzeria Da Mario', officeHours: '' },
  ...over,
});
const system = (i: ResponderInput) => buildPrompt(i, respond(i))[0]!.content;

describe('prompt: documents', () => {
  it("carries the nearest passages as [Title] text, with the rules for them", () => {
    const s = system(input('Do you deliver to Monza?'));
    expect(s).toContain("From the business's documents:");
    expect(s).toContain('[Delivery terms] ## Delivery We deliver to Milan, Monza and Sesto every day from 18:00 to 22:30.');
    expect(s).toContain('(from: <Title>)');
    expect(s).toMatch(/amount in the documents that is not in the published catalog must not be quoted/);
  });

  it('says nothing of documents when there are none, or none near the question', () => {
    for (const s of [system(input('Do you deliver to Monza?', { knowledge: undefined })), system(input('What is the capital of France?'))]) {
      expect(s).not.toContain("From the business's documents:");
      expect(s).not.toContain('(from: <Title>)');
    }
  });

  it(`is bounded: at most ${PROMPT_PASSAGES} passages and ${PASSAGE_CHARS} characters of them`, () => {
    const long: Passage[] = Array.from({ length: 8 }, (_, i) => ({
      id: `long:${i}`,
      documentId: `doc-${i}`,
      title: `Delivery zone ${i}`,
      text: `We deliver to Monza and district ${i}. ${'Riders leave every ten minutes from the shop. '.repeat(60)}`,
    }));
    const i = input('Do you deliver to Monza?', { knowledge: knowledge(long, 'long') });
    const shown = promptPassages(i);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThanOrEqual(PROMPT_PASSAGES);
    expect(shown.reduce((sum, p) => sum + p.title.length + 3 + p.text.length, 0)).toBeLessThanOrEqual(PASSAGE_CHARS);
    const s = system(i);
    const block = s.slice(s.indexOf("From the business's documents:"));
    expect(block.split('\n').filter((l) => l.startsWith('[')).length).toBe(shown.length);
    expect(block.length).toBeLessThan(PASSAGE_CHARS + 200);
  });
});

describe('model answers from documents', () => {
  let fake: FakeOpenAi;
  const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };
  beforeAll(async () => {
    fake = await startFakeOpenAi();
  });
  afterAll(() => fake.close());
  const model = () => {
    const active = { baseUrl: fake.url, model: 'fake-model', timeoutMs: 2000 };
    const settings = { active: () => active, resolve: async () => active } as unknown as ModelSettings;
    return createModelResponder({ settings, logger: silent });
  };
  const ask = async (text: string, over: Partial<ResponderInput> = {}) => {
    fake.setMode({ kind: 'reply', text });
    return (await model()(input('Do you deliver to Monza?', over))) as ResponderOutput;
  };

  it('names the documents the answer cites, among those it was given', async () => {
    const r = await ask('Yes, we deliver to Monza every evening. (from: Delivery terms)');
    expect(r).toMatchObject({ source: 'model', documents: [{ id: DELIVERY, title: 'Delivery terms' }] });
    expect((await ask('Sì, consegniamo a Monza. (fonte: Delivery terms)')).documents).toEqual([{ id: DELIVERY, title: 'Delivery terms' }]);
    // No citation, or a title it was not given: no document on the receipt.
    expect((await ask('Yes, we deliver to Monza.')).documents).toEqual([]);
    expect((await ask('Yes. (from: Secret handbook)')).documents).toEqual([]);
  });

  it('still refuses an amount the catalog does not publish, even from a document', async () => {
    const withFee: Passage[] = [{ ...TERMS[0]!, text: 'We deliver to Monza for €45.' }];
    const r = await ask('Delivery to Monza is €45. (from: Delivery terms)', { knowledge: knowledge(withFee, 'fee') });
    expect(r.source).toBe('fallback');
    expect(r.text).not.toContain('45');
  });
});
