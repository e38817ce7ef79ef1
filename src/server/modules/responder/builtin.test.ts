import { describe, expect, it } from 'vitest';
import type { Pricebook } from '../../../shared/schemas/pricebook';
import { PRICEBOOK_V1 } from '../pricebook/pricebook.seed';
import { detectLanguage, notice, respond, wantsHuman, type Language, type Notice, type ResponderInput } from './builtin';
import { cachedFaqEntries, FAQ_MIN_CONFIDENCE, findFaq } from './faq-index';

const V1: Pricebook = { version: 1, status: 'published', published_at: null, ...PRICEBOOK_V1 };
// Every figure differs from V1, so an answer that still says a V1 number was not read from V2.
const V2: Pricebook = {
  ...V1,
  version: 2,
  credits_per_ai_reply: 2,
  plans: [
    { id: 'base', name: 'Base', price_month: 89, credits_month: 16_000, seats: 4, integrations: 2, support: 'Email' },
    { id: 'pro', name: 'Pro', price_month: 259, credits_month: 80_000, seats: 12, integrations: 5, support: 'Phone' },
    { id: 'enterprise', name: 'Enterprise', price_month: 999, credits_month: 300_000, seats: 50, integrations: 20, support: 'Named manager' },
  ],
};

const FAQ = {
  version: '1',
  entries: [
    { id: 'parking', question: 'Do you offer parking for visitors?', answer: 'Yes, free parking behind the building.' },
    { id: 'discount', question: 'Do you offer discounts on the Pro plan for nonprofits?', answer: 'Nonprofits get a discount on Pro.' },
    { id: 'whatsapp', question: 'Can Bob answer on WhatsApp?', answer: 'Not yet, it is on the roadmap.' },
    { id: 'parcheggio', question: 'Avete un parcheggio per i clienti?', answer: 'Sì, parcheggio gratuito dietro il palazzo.' },
    { id: 'trial', question: 'Is there a free trial?', answer: 'Yes, two weeks, no card needed.' },
  ],
};

let n = 0;
// it-IT puts a no-break space between amount and symbol ("249 $"); compare with a plain one.
const ask = (message: string, over: Partial<ResponderInput> = {}) => {
  const r = respond({
    tenantId: `t${n++}`,
    message,
    persona: { name: 'Bob', tone: 'friendly' },
    pricebook: V1,
    faq: { version: '0', entries: [] },
    tenant: { name: 'Business Co', officeHours: 'Mon–Fri 9:00–18:00' },
    ...over,
  });
  return { ...r, text: r.text.replace(/[\u00a0\u202f]/g, ' ') };
};

/** The numbers a reply states, read the way its language writes them ("15,000" / "15.000", "12.50" / "12,50"). */
function numbersIn(text: string, lang: Language): number[] {
  return (text.match(/\d[\d.,]*\d|\d/g) ?? []).map((s) => Number(lang === 'it' ? s.replace(/\./g, '').replace(',', '.') : s.replace(/,/g, '')));
}
const figures = (pb: Pricebook) =>
  new Set([pb.credits_per_ai_reply, ...pb.plans.flatMap((p) => [p.price_month, p.credits_month, p.integrations, ...(p.seats === null ? [] : [p.seats])])]);

describe('language', () => {
  it.each([
    ['How much is Pro?', 'en'],
    ['Quanti crediti ha il piano Base?', 'it'],
    ['voglio parlare con un operatore', 'it'],
    ['ciao', 'it'],
    ['hi', 'en'],
  ] as const)('%s → %s', (text, lang) => expect(detectLanguage(text)).toBe(lang));

  it('keeps the hint when the message does not say, and lets a clear message win over it', () => {
    expect(detectLanguage('Pro?')).toBe('en');
    expect(detectLanguage('Pro?', 'it')).toBe('it');
    expect(ask('Pro?', { language: 'it' }).text).toContain('249 $ al mese');
    expect(ask('How much is Pro?', { language: 'it' }).language).toBe('en');
    expect(ask('Quanto costa il piano Pro?', { language: 'en' }).language).toBe('it');
  });
});

describe('intents, in both languages', () => {
  it.each([
    ['greeting', 'Hello!', 'Ciao!'],
    ['plans_prices', 'What are your prices?', 'Quanto costano i piani?'],
    ['plan', 'Tell me about Enterprise', 'Parlami del piano Pro'],
    ['credits', 'How many credits does Enterprise include?', 'Quanti crediti ha il piano Base?'],
    ['seats', 'How many seats does Enterprise have?', 'Quanti posti ha il piano Enterprise?'],
    ['integrations', 'How many integrations are included?', 'Quante integrazioni ha il piano Base?'],
    ['support', 'What support does Pro have?', 'Che assistenza include il piano Pro?'],
    ['compare', 'What is the difference between Base and Pro?', 'Confronta Pro ed Enterprise'],
    ['handoff', 'Can I talk to someone?', 'Vorrei parlare con una persona'],
    ['contact_hours', 'What are your opening hours?', 'Quali sono i vostri orari?'],
    ['thanks', 'Thanks a lot!', 'Grazie mille'],
    ['faq', 'Is there visitor parking?', 'Avete un parcheggio?'],
    ['unknown', 'Can you fix my printer?', 'Mi ripari la stampante?'],
  ] as const)('%s', (intent, en, itMessage) => {
    for (const [message, language] of [[en, 'en'], [itMessage, 'it']] as const) {
      const r = ask(message, { faq: FAQ });
      expect(r, message).toMatchObject({ intent, language, answered: intent !== 'unknown', handoff: intent === 'handoff' });
    }
  });

  it('answers the acceptance questions with the seeded figures', () => {
    expect(ask('How much is Pro?')).toMatchObject({ intent: 'plan', planIds: ['pro'], answered: true });
    expect(ask('How much is Pro?').text).toContain('$249');
    const base = ask('Quanti crediti ha il piano Base?');
    expect(base).toMatchObject({ intent: 'credits', language: 'it', planIds: ['base'] });
    expect(base.text).toContain('15.000 crediti');
    expect(base.text).not.toContain('75.000');
    expect(ask('voglio parlare con un operatore')).toMatchObject({ intent: 'handoff', handoff: true, language: 'it' });
  });

  it('quotes what each topic asks about, for the named plan or for all of them', () => {
    const list = ask('What are your prices?');
    for (const price of ['Base: $79/month', 'Pro: $249/month', 'Enterprise: $899/month']) expect(list.text).toContain(price);
    expect(list.planIds).toEqual(['base', 'pro', 'enterprise']);
    expect(ask('Quanto costano i piani?').text).toContain('Enterprise: 899 $ al mese');

    const pro = ask('Tell me about Pro');
    for (const part of ['$249', '75,000 AI credits', '10 team seats', '3 integrations', 'Priority support']) expect(pro.text).toContain(part);

    expect(ask('How many seats does Enterprise have?').text).toContain('unlimited team seats');
    expect(ask('Quanti posti ha il piano Enterprise?').text).toContain('posti illimitati');
    expect(ask('How many seats does Base have?').text).toContain('3 team seats');
    expect(ask('Quante integrazioni ha il piano Base?').text).toContain('1 integrazione.');
    expect(ask('How many integrations does Pro have?').text).toContain('3 integrations');
    expect(ask('Che assistenza include il piano Pro?').text).toContain('supporto Priority');

    const credits = ask('How many credits do I get?');
    expect(credits.planIds).toEqual(['base', 'pro', 'enterprise']);
    expect(credits.text).toContain('Enterprise includes 250,000 AI credits a month.');
    expect(credits.text).toContain('Each AI reply uses 1 credit.');
    // A topic with two plans answers that topic for both rather than comparing everything.
    expect(ask('How many credits do Base and Pro have?')).toMatchObject({ intent: 'credits', planIds: ['base', 'pro'] });

    const compare = ask('What is the difference between Base and Pro?');
    expect(compare.planIds).toEqual(['base', 'pro']);
    expect(compare.text).toContain('Base: $79/month');
    expect(compare.text).toContain('Pro: $249/month');
    expect(compare.text).not.toContain('Enterprise');
    expect(ask('Which plan is right for me?')).toMatchObject({ intent: 'compare', planIds: ['base', 'pro', 'enterprise'] });

    expect(ask('When are you open?').text).toContain('Mon–Fri 9:00–18:00');
    expect(ask('When are you open?', { tenant: { name: 'Business Co', officeHours: '' } })).toMatchObject({ intent: 'contact_hours', answered: false });
  });

  it('keeps replies short and plain: no tables, one line per plan at most', () => {
    for (const q of ['What are your prices?', 'Compare the plans', 'How many credits do I get?', 'Tell me about Pro', 'hello']) {
      const r = ask(q);
      expect(r.text).not.toMatch(/[|*#]/);
      expect(r.text.split('\n').length).toBeLessThanOrEqual(V1.plans.length + 2);
    }
  });

  it('greets briefly, but answers a greeting with a question as that question', () => {
    expect(ask('Hi there, how are you?').intent).toBe('greeting');
    expect(ask('Ciao Bob!').intent).toBe('greeting');
    expect(ask('Hi, how much is Pro?').intent).toBe('plan');
    expect(ask('Hi, can you fix my printer?')).toMatchObject({ intent: 'unknown', answered: false });
  });

  it('introduces itself when asked who it is, without handing off', () => {
    for (const q of ['Who are you?', 'Are you human?', 'Chi sei?', 'Sei un essere umano?']) {
      const r = ask(q);
      expect(r, q).toMatchObject({ intent: 'greeting', handoff: false });
      expect(r.text).toContain('Bob');
      expect(r.text).toContain('Business Co');
    }
  });
});

describe('every number comes from the pricebook passed in', () => {
  it('follows a new version at once', () => {
    const pro = ask('How much is Pro?', { pricebook: V2 });
    expect(pro.text).toContain('$259');
    expect(pro.text).toContain('80,000');
    expect(pro.text).not.toContain('249');
    expect(pro.text).not.toContain('75,000');
    expect(ask('Quanti crediti ha il piano Pro?', { pricebook: V2 }).text).toContain('80.000');
    expect(ask('How many credits do I get?', { pricebook: V2 }).text).toContain('Each AI reply uses 2 credits.');
    // Enterprise has a seat cap in V2: the answer stops saying "unlimited".
    const seats = ask('How many seats does Enterprise have?', { pricebook: V2 });
    expect(seats.text).toContain('50 team seats');
    expect(seats.text).not.toContain('unlimited');
    expect(ask('What support does Base have?', { pricebook: V2 }).text).toContain('Email support');
  });

  it('matches plans by the pricebook’s ids and names, not by built-in ones', () => {
    const pb: Pricebook = {
      ...V1,
      currency: 'EUR',
      plans: [
        { id: 'starter', name: 'Starter', price_month: 19.5, credits_month: 1_500, seats: 1, integrations: 0, support: 'Community' },
        { id: 'agent', name: 'Agent', price_month: 59, credits_month: 9_000, seats: null, integrations: 2, support: 'Chat' },
      ],
    };
    const starter = ask('How much is Starter?', { pricebook: pb });
    expect(starter).toMatchObject({ intent: 'plan', planIds: ['starter'] });
    expect(starter.text).toContain('€19.50');
    expect(starter.text).toContain('1 team seat,');
    expect(ask('Quanto costa il piano Starter?', { pricebook: pb }).text).toContain('19,50 €');
    // No plan called Pro here: the answer lists the plans there are.
    expect(ask('How much is Pro?', { pricebook: pb })).toMatchObject({ intent: 'plans_prices', planIds: ['starter', 'agent'] });
    // "agent" names a plan here, and "agent plan" is not a request for a person.
    expect(ask('What does the agent plan include?', { pricebook: pb })).toMatchObject({ intent: 'plan', planIds: ['agent'], handoff: false });
  });

  it('prefers the longest plan name, so "Pro Plus" is not also "Pro"', () => {
    const pb: Pricebook = { ...V1, plans: [...V1.plans, { id: 'pro_plus', name: 'Pro Plus', price_month: 399, credits_month: 120_000, seats: 20, integrations: 5, support: 'Priority' }] };
    expect(ask('How much is Pro Plus?', { pricebook: pb })).toMatchObject({ intent: 'plan', planIds: ['pro_plus'] });
    expect(ask('Compare Pro and Pro Plus', { pricebook: pb }).planIds).toEqual(['pro', 'pro_plus']);
  });

  it('never states a number that is not in the pricebook (or the tenant’s office hours)', () => {
    const odd = [
      'Can you fix my printer?', 'What is 2 plus 2?', 'Do you sell used cars in 1999?', 'Qual è il senso della vita?', 'Give me 3 reasons to buy',
      'Is it 42?', 'Quanto fa 7 per 8?', 'What happened on 11/09?', 'Posso pagare in 12 rate?', 'Call me at 555 0100', 'asdf qwerty', '???', '',
    ];
    const asked = ['hello', 'What are your prices?', 'How much is Pro?', 'How many credits do I get?', 'How many seats?', 'Compare the plans', 'Quanto costa il piano Enterprise?', 'Grazie', 'Are you open on Sunday?'];
    for (const pb of [V1, V2]) {
      const allowed = new Set([...figures(pb), ...numbersIn('Mon–Fri 9:00–18:00', 'en')]);
      for (const q of odd) {
        const r = ask(q, { pricebook: pb });
        expect(r, q).toMatchObject({ intent: 'unknown', answered: false });
        expect(r.text, q).not.toMatch(/\d/);
      }
      for (const q of asked) {
        const r = ask(q, { pricebook: pb });
        for (const x of numbersIn(r.text, r.language)) expect(allowed, `${q} → ${r.text}`).toContain(x);
      }
    }
  });
});

describe('money and counts are written the way each language writes them', () => {
  it('uses the pricebook currency, whole amounts without decimals and grouped counts', () => {
    expect(ask('How much is Enterprise?').text).toContain('$899 a month');
    expect(ask('Quanto costa Enterprise?').text).toContain('899 $ al mese');
    expect(ask('How many credits does Enterprise include?').text).toContain('250,000');
    expect(ask('Quanti crediti ha Enterprise?').text).toContain('250.000');
    const eur: Pricebook = { ...V1, currency: 'EUR', plans: V1.plans.map((p) => ({ ...p, price_month: p.price_month + 0.99 })) };
    expect(ask('How much is Pro?', { pricebook: eur }).text).toContain('€249.99');
    expect(ask('Quanto costa il piano Pro?', { pricebook: eur }).text).toContain('249,99 €');
  });
});

describe('persona', () => {
  it('says its own name', () => {
    expect(ask('hello').text).toContain("I'm Bob");
    expect(ask('ciao').text).toContain('Sono Bob');
    const giulia = ask('hello', { persona: { name: 'Giulia', tone: 'friendly' } });
    expect(giulia.text).toContain("I'm Giulia");
    expect(giulia.text).not.toContain('Bob');
  });

  it('changes wording with the tone', () => {
    const as = (tone: string, message: string) => ask(message, { persona: { name: 'Bob', tone } }).text;
    expect(as('formal', 'hello')).toMatch(/^Good day/);
    expect(as('formal', 'buongiorno')).toMatch(/^Buongiorno.*esserLe/);
    expect(as('formal', 'Quanto costa il piano Pro?')).toContain('Resto a Sua disposizione');
    expect(as('formal', 'Mi ripari la stampante?')).toContain('Desidera');
    expect(as('friendly', 'Mi ripari la stampante?')).toContain('Vuoi');

    const friendly = as('friendly', 'How much is Pro?');
    const concise = as('concise', 'How much is Pro?');
    expect(concise).not.toContain('Anything else');
    expect(concise.length).toBeLessThan(friendly.length);
    expect(concise).toContain('$249');
    expect(as('playful', 'How much is Pro?')).toContain('Fire away');
    for (const message of ['hello', 'Grazie', 'Can you fix my printer?', 'Chi sei?']) {
      expect(new Set(['friendly', 'formal', 'concise', 'playful'].map((t) => as(t, message))).size, message).toBe(4);
    }
    // An unknown tone reads like the default one.
    expect(as('pirate', 'How much is Pro?')).toBe(friendly);
    expect(as(' Formal ', 'hello')).toBe(as('formal', 'hello'));
  });
});

describe('tenant FAQ', () => {
  const tenantId = 'faq-tenant';
  const withFaq = (message: string) => ask(message, { tenantId, faq: FAQ });

  it('answers with the entry when enough of the question matches', () => {
    expect(withFaq('Is there visitor parking?')).toMatchObject({ intent: 'faq', faqId: 'parking', text: 'Yes, free parking behind the building.', answered: true });
    expect(withFaq('Avete un parcheggio?')).toMatchObject({ intent: 'faq', faqId: 'parcheggio', language: 'it' });
    expect(withFaq('Do you offer discounts on Pro?')).toMatchObject({ intent: 'faq', faqId: 'discount' });
    expect(withFaq('Can I get a free trial?')).toMatchObject({ intent: 'faq', faqId: 'trial' });
  });

  it('draws the line at the confidence threshold', () => {
    const plans = new Set(['base', 'pro', 'enterprise']);
    const score = (message: string) => findFaq(tenantId, FAQ, message, plans)?.confidence ?? 0;
    expect(FAQ_MIN_CONFIDENCE).toBe(0.5);
    expect(score('Is there visitor parking?')).toBeCloseTo(0.8);
    // One of the three words of "offer parking visitors": exactly on the line, and answered.
    expect(findFaq(tenantId, FAQ, 'parking?', plans)).toMatchObject({ id: 'parking', confidence: FAQ_MIN_CONFIDENCE });
    expect(withFaq('parking?').faqId).toBe('parking');
    // Half the visitor's words, a third of the entry's: below the line, left to the built-in answers.
    expect(findFaq(tenantId, FAQ, 'Does it work on WhatsApp?')).toBeNull();
    expect(withFaq('Does it work on WhatsApp?')).toMatchObject({ intent: 'unknown', answered: false });
  });

  it('does not take a pricing question for an entry that shares a plan name', () => {
    expect(withFaq('How much is Pro?')).toMatchObject({ intent: 'plan', planIds: ['pro'] });
    expect(withFaq('Pro?').intent).toBe('plan');
    expect(withFaq('What is included in the Pro plan?').intent).toBe('plan');
    expect(withFaq('Quanto costa il piano Pro?').intent).toBe('plan');
    expect(withFaq('Any discounts on Enterprise?').faqId).toBeUndefined();
    for (const q of ['hello', 'What are your prices?', 'How many seats does Base have?', 'What are your opening hours?']) expect(withFaq(q).intent, q).not.toBe('faq');
  });

  it('comes after a request for a person, and before the built-in answers', () => {
    const faq = { version: '1', entries: [
      { id: 'hours', question: 'What are your opening hours?', answer: 'Every day, around the clock.' },
      { id: 'person', question: 'Can I talk to someone?', answer: 'Sure, call us.' },
    ] };
    expect(ask('What are your opening hours?', { faq })).toMatchObject({ intent: 'faq', faqId: 'hours', text: 'Every day, around the clock.' });
    expect(ask('Can I talk to someone?', { faq })).toMatchObject({ intent: 'handoff', handoff: true });
  });

  it('keeps one index per tenant until the FAQ version changes', () => {
    const first = { version: 'a', entries: [{ id: 'e1', question: 'Do you have a swimming pool?', answer: 'Yes, on the roof.' }] };
    const edited = { version: 'a', entries: [{ id: 'e1', question: 'Do you have a swimming pool?', answer: 'No, sorry.' }] };
    const ask1 = (faq: typeof first) => ask('Is there a swimming pool?', { tenantId: 'cache-tenant', faq }).text;
    expect(ask1(first)).toBe('Yes, on the roof.');
    // Same version: the cached index (and its stored answer) is reused.
    expect(ask1(edited)).toBe('Yes, on the roof.');
    expect(ask1({ ...edited, version: 'b' })).toBe('No, sorry.');
    // Another tenant with the same version string has its own index.
    expect(ask('Is there a swimming pool?', { tenantId: 'other-tenant', faq: edited }).text).toBe('No, sorry.');
    expect(ask('Is there a swimming pool?', { tenantId: 'cache-tenant', faq: { version: 'c', entries: [] } }).intent).toBe('unknown');
  });

  it('survives an FAQ with a repeated id', () => {
    const faq = { version: '1', entries: [
      { id: 'x', question: 'Do you have a swimming pool?', answer: 'Old.' },
      { id: 'x', question: 'Do you have a swimming pool?', answer: 'New.' },
    ] };
    expect(ask('Is there a swimming pool?', { faq }).text).toBe('New.');
  });

  it('hands back the entries its kept index was built from, for that version only', () => {
    const old = { id: 'x', question: 'Do you have a swimming pool?', answer: 'Old.' };
    const kept = { id: 'x', question: 'Do you have a swimming pool?', answer: 'New.' };
    expect(cachedFaqEntries('kept-tenant', '1')).toBeUndefined();
    ask('Is there a swimming pool?', { tenantId: 'kept-tenant', faq: { version: '1', entries: [old, kept] } });
    expect(cachedFaqEntries('kept-tenant', '1')).toEqual([kept]);
    expect(cachedFaqEntries('kept-tenant', '2')).toBeUndefined();
  });
});

describe('handoff', () => {
  it.each([
    'voglio parlare con un operatore', 'Vorrei parlare con una persona', 'I would like to talk to a person', 'Posso parlare con una persona reale?',
    'sei un bot? voglio un essere umano', 'UMANO!', 'Ho bisogno di assistenza', 'assistenza', 'servizio clienti', 'c’è qualcuno?', 'Passami un operatóre',
    'I want a human', 'Can I talk to someone?', 'Speak to a person please', 'real person', 'agent please', 'Are you human? I want a real person',
    'Can I speak with a representative?', 'customer service', 'Is anyone there?',
  ])('%s', (text) => {
    expect(wantsHuman(text)).toBe(true);
    expect(ask(text)).toMatchObject({ intent: 'handoff', handoff: true, answered: true, planIds: [] });
  });

  it.each([
    'How much is Pro?', 'Quanto costa il piano Base?', 'My browser user agent is odd', 'Is it an AI agent?', 'How much are agent seats?',
    'What does the agent plan include?', 'Are you human?', 'Sei un essere umano?', 'Che assistenza include il piano Pro?', 'Do you support WhatsApp?',
  ])('not: %s', (text) => expect(wantsHuman(text)).toBe(false));

  it('tells the visitor in the language of the message', () => {
    expect(ask('I want a human').text).toBe(notice('handoff', 'en', 'Bob'));
    expect(ask('voglio un operatore').text).toBe(notice('handoff', 'it', 'Bob'));
  });
});

describe('notices', () => {
  const kinds: Notice[] = ['handoff', 'agent_joined', 'agent_left', 'closed', 'credits_exhausted', 'offline', 'unanswered'];

  it('has a short, distinct message for each kind in both languages', () => {
    for (const lang of ['en', 'it'] as const) {
      const texts = kinds.map((k) => notice(k, lang, 'Bob'));
      expect(new Set(texts).size).toBe(kinds.length);
      for (const t of texts) expect(t.length).toBeLessThan(140);
    }
    expect(notice('handoff', 'en', 'Bob')).toBe("I'm bringing in a person from the team. They'll reply here shortly.");
    expect(notice('handoff', 'it', 'Bob')).toBe('Sto chiamando una persona del team: ti risponderà qui a breve.');
    expect(notice('offline', 'en', 'Bob')).toMatch(/leave a message/i);
    expect(notice('offline', 'it', 'Bob')).toMatch(/lascia un messaggio/i);
  });

  it('names the persona when it takes the conversation back', () => {
    expect(notice('agent_left', 'en', 'Giulia')).toContain('Giulia is back');
    expect(notice('agent_left', 'it', 'Giulia')).toContain('Giulia è di nuovo qui');
  });

  it('does not talk about credits to the visitor', () => {
    expect(notice('credits_exhausted', 'en', 'Bob')).not.toMatch(/credit/i);
    expect(notice('credits_exhausted', 'it', 'Bob')).not.toMatch(/credit/i);
    expect(notice('credits_exhausted', 'en', 'Bob')).toMatch(/person/);
  });
});

describe('documents', () => {
  const DELIVERY = 'd0000000-0000-4000-8000-000000000001';
  const CONSEGNE = 'd0000000-0000-4000-8000-000000000002';
  const knowledge = (text: string, title = 'Delivery terms', version = text): NonNullable<ResponderInput['knowledge']> => ({
    version,
    passages: () => [
      { id: `${DELIVERY}:0`, documentId: DELIVERY, title, text },
      {
        id: `${CONSEGNE}:0`,
        documentId: CONSEGNE,
        title: 'Condizioni di consegna',
        text: '## Consegne\nConsegniamo a Milano, Monza e Sesto San Giovanni tutti i giorni dalle 18:00 alle 22:30.',
      },
    ],
  });
  const TERMS = knowledge('## Delivery\nWe deliver to Milan, Monza and Sesto every day from 18:00 to 22:30. Riders carry card readers.');
  const MENU = {
    version: 2,
    currency: 'EUR',
    items: [{ id: 'margherita', name: 'Margherita', category: 'Pizze', description: null, unit: null, price: 8.5, options: [], available: true }],
  };
  const business = (message: string, over: Partial<ResponderInput> = {}) => ask(message, { catalog: MENU, knowledge: TERMS, ...over });

  it('answers from the passage that answers, naming the document', () => {
    const r = business('Do you deliver to Monza?');
    expect(r).toMatchObject({ intent: 'document', answered: true, handoff: false, documents: [{ id: DELIVERY, title: 'Delivery terms' }] });
    expect(r.text).toBe('We deliver to Milan, Monza and Sesto every day from 18:00 to 22:30. (from: Delivery terms)');
    // The platform's own site answers from its documents too.
    expect(ask('Do you deliver to Monza?', { knowledge: TERMS })).toMatchObject({ intent: 'document', documents: [{ id: DELIVERY }] });
  });

  it('names the document in Italian', () => {
    const r = business('Consegnate anche a Monza?');
    expect(r).toMatchObject({ intent: 'document', language: 'it', documents: [{ id: CONSEGNE, title: 'Condizioni di consegna' }] });
    expect(r.text).toBe('Consegniamo a Milano, Monza e Sesto San Giovanni tutti i giorni dalle 18:00 alle 22:30. (fonte: Condizioni di consegna)');
  });

  it('never quotes an amount the catalog does not publish', () => {
    const withFee = knowledge('## Delivery\nWe deliver to Monza for a flat fee of €45. Orders to Monza arrive within the hour.');
    const r = business('Do you deliver to Monza?', { knowledge: withFee });
    expect(r.intent).toBe('document');
    expect(r.text).not.toContain('45');
    expect(r.text).toBe('Orders to Monza arrive within the hour. (from: Delivery terms)');
    // A published price may be quoted.
    const published = knowledge('## Delivery\nWe deliver to Monza: a Margherita costs €8.50 at your door.', 'Delivery terms', 'published');
    expect(business('Do you deliver to Monza?', { knowledge: published }).text).toContain('€8.50');
    // Nothing useful left without the unpublished amount: Bob does not answer from it.
    const onlyFee = knowledge('## Delivery\nDelivery to Monza costs 45 euro.', 'Delivery terms', 'only-fee');
    const honest = business('Do you deliver to Monza?', { knowledge: onlyFee });
    expect(honest).toMatchObject({ intent: 'unknown', answered: false });
    expect(honest.text).not.toContain('45');
    expect(honest.documents).toBeUndefined();
  });

  it('keeps the FAQ, greetings, thanks, handoff and price answers first', () => {
    const faq = { version: 'doc-faq', entries: [{ id: 'monza', question: 'Do you deliver to Monza?', answer: 'Yes, every evening.' }] };
    expect(business('Do you deliver to Monza?', { faq })).toMatchObject({ intent: 'faq', faqId: 'monza', text: 'Yes, every evening.' });
    expect(business('hello')).toMatchObject({ intent: 'greeting' });
    expect(business('Thanks, Monza delivery was great!')).toMatchObject({ intent: 'thanks' });
    expect(business('I want to talk to a person about delivery to Monza')).toMatchObject({ intent: 'handoff', handoff: true });
    expect(business('How much is the Margherita?')).toMatchObject({ intent: 'item', itemIds: ['margherita'] });
    expect(business('How much is delivery to Monza?').intent).not.toBe('document');
    // The platform's plan questions stay with the pricebook.
    const planDoc = knowledge('## Plans\nThe Pro plan includes delivery reports for Monza stores.', 'Plans', 'plans');
    expect(ask('How much is Pro?', { knowledge: planDoc })).toMatchObject({ intent: 'plan', planIds: ['pro'] });
  });

  it('says it does not know when no passage answers', () => {
    expect(business('Do you deliver to Rome?')).toMatchObject({ intent: 'unknown', answered: false });
    expect(business('Can I bring my dog?')).toMatchObject({ intent: 'unknown', answered: false });
  });
});
