import { describe, expect, it } from 'vitest';
import type { Pricebook } from '../../../shared/schemas/pricebook';
import { PRICEBOOK_V1 } from '../pricebook/pricebook.seed';
import { detectLanguage, respond, wantsHuman, type ResponderInput } from './builtin';

const V1: Pricebook = { version: 1, status: 'published', published_at: null, ...PRICEBOOK_V1 };
const V2: Pricebook = {
  ...V1,
  version: 2,
  plans: V1.plans.map((p) => (p.id === 'pro' ? { ...p, price_month: 259, credits_month: 80_000 } : p)),
};

let n = 0;
const ask = (message: string, over: Partial<ResponderInput> = {}) =>
  respond({
    tenantId: `t${n++}`,
    message,
    persona: { name: 'Bob', tone: 'friendly' },
    pricebook: V1,
    faq: { version: '0', entries: [] },
    tenant: { name: 'Business Co', officeHours: 'Mon–Fri 9:00–18:00' },
    ...over,
  });

describe('language', () => {
  it.each([
    ['How much is Pro?', 'en'],
    ['Quanti crediti ha il piano Base?', 'it'],
    ['voglio parlare con un operatore', 'it'],
    ['ciao', 'it'],
    ['hi', 'en'],
  ])('%s → %s', (text, lang) => expect(detectLanguage(text)).toBe(lang));

  it('falls back to the hint when the message says nothing', () => {
    expect(detectLanguage('Pro?', 'it')).toBe('it');
  });
});

describe('prices come from the pricebook passed in', () => {
  it('quotes the published numbers, in each language’s format', () => {
    expect(ask('How much is Pro?').text).toContain('$249');
    expect(ask('Quanti crediti ha il piano Base?').text).toContain('15.000');
    expect(ask('How many credits does Enterprise include?').text).toContain('250,000');
    expect(ask('How many seats does Enterprise have?').text).toMatch(/unlimited/);
  });

  it('follows a new version at once', () => {
    const a = ask('How much is Pro?', { pricebook: V2 });
    expect(a.text).toContain('$259');
    expect(a.text).not.toContain('249');
    expect(ask('Quanti crediti ha il piano Pro?', { pricebook: V2 }).text).toContain('80.000');
  });

  it('lists, compares and answers topics across plans', () => {
    const list = ask('What are your prices?');
    expect(list.intent).toBe('plans_prices');
    for (const price of ['$79', '$249', '$899']) expect(list.text).toContain(price);
    expect(ask('What is the difference between Base and Pro?').intent).toBe('compare');
    expect(ask('Che supporto ha il piano Pro?').text).toContain('Priority');
    expect(ask('How many integrations are included?').intent).toBe('integrations');
    expect(ask('My browser user agent string is weird').intent).not.toBe('seats');
    expect(ask('Quante integrazioni ha il piano Base?').text).toContain('1 integrazione standard');
  });

  it('never says a number that is not in the pricebook when it does not know', () => {
    const allowed = new Set(V1.plans.flatMap((p) => [p.price_month, p.credits_month, p.seats ?? 0, p.integrations]).map(String));
    for (const q of ['Can you fix my printer?', 'What is 2 plus 2?', 'Do you sell used cars in 1999?', 'Qual è il senso della vita?']) {
      const r = ask(q);
      expect(r.answered).toBe(false);
      for (const d of r.text.match(/\d[\d.,]*/g) ?? []) expect(allowed.has(d.replace(/[.,]/g, ''))).toBe(true);
    }
  });
});

describe('persona, FAQ and handoff', () => {
  it('speaks with the persona’s name and tone', () => {
    expect(ask('hello').text).toContain("I'm Bob");
    const formal = ask('buongiorno', { persona: { name: 'Giulia', tone: 'formal' } });
    expect(formal.text).toContain('Giulia');
    expect(formal.text).toMatch(/esserLe/);
    expect(ask('How much is Pro?', { persona: { name: 'Bob', tone: 'concise' } }).text).not.toContain('Anything else');
  });

  it('answers a tenant FAQ only when enough of the question matches', () => {
    const faq = { version: '1', entries: [{ id: 'f1', question: 'Do you offer parking for visitors?', answer: 'Yes, free parking behind the building.' }] };
    const hit = ask('Is there visitor parking?', { tenantId: 'faq-tenant', faq });
    expect(hit).toMatchObject({ intent: 'faq', faqId: 'f1' });
    const miss = ask('Do you offer refunds for annual plans?', { tenantId: 'faq-tenant', faq });
    expect(miss.intent).not.toBe('faq');
  });

  it('recognises requests for a person in both languages, without false alarms', () => {
    for (const t of ['voglio parlare con un operatore', 'Posso parlare con una persona?', 'I want a human', 'Can I talk to someone?', 'agent please']) expect(wantsHuman(t)).toBe(true);
    for (const t of ['How much is Pro?', 'My browser user agent is odd', 'Quanto costa il piano Base?']) expect(wantsHuman(t)).toBe(false);
    expect(ask('voglio parlare con un operatore')).toMatchObject({ intent: 'handoff', handoff: true, language: 'it' });
  });
});
