import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../../shared/schemas/catalog';
import type { Pricebook } from '../../../shared/schemas/pricebook';
import type { WeeklyHours } from '../../../shared/schemas/tenants';
import { PRICEBOOK_V1 } from '../pricebook/pricebook.seed';
import { respond, type ResponderInput } from './builtin';
import type { BusinessCatalog, BusinessProfile } from './business';
import { catalogFacts, checkPrices } from './price-guard';

// A pizzeria that published its own menu: Bob answers from it, never from the platform's plans.
const item = (over: Partial<CatalogItem> & Pick<CatalogItem, 'id' | 'name'>): CatalogItem => ({ category: 'Pizze', description: null, unit: null, price: null, options: [], available: true, ...over });
const MENU: BusinessCatalog = {
  version: 3,
  currency: 'EUR',
  items: [
    item({ id: 'margherita', name: 'Margherita', price: 8.5, options: [{ name: 'maxi', price: 12 }] }),
    item({ id: 'diavola', name: 'Diavola', price: 9.5 }),
    item({ id: 'quattro-formaggi', name: 'Quattro formaggi', price: 10 }),
    item({ id: 'tiramisu', name: 'Tiramisù', category: 'Dolci', price: 5, unit: 'a porzione' }),
    item({ id: 'catering', name: 'Catering', category: 'Eventi', price: null }),
    item({ id: 'calzone', name: 'Calzone', price: 9, available: false }),
  ],
};
const WEEKDAYS_9_TO_6: WeeklyHours = {
  mon: [['09:00', '13:00'], ['14:00', '18:00']],
  tue: [['09:00', '13:00'], ['14:00', '18:00']],
  wed: [['09:00', '13:00'], ['14:00', '18:00']],
  thu: [['09:00', '13:00'], ['14:00', '18:00']],
  fri: [['09:00', '13:00'], ['14:00', '18:00']],
  sat: [['10:00', '14:00']],
  sun: [],
};
const PROFILE: BusinessProfile = {
  address: 'Via del Corso 12, 00186 Roma',
  phone: '+39 06 1234 5678',
  email: 'info@pizzeria.example',
  timezone: 'Europe/Rome',
  hours: WEEKDAYS_9_TO_6,
  closures: [{ date: '2026-12-25', note: 'Natale' }],
};
const PB: Pricebook = { version: 1, status: 'published', published_at: null, ...PRICEBOOK_V1 };

// Wednesday 2 December 2026, 10:30 in Rome (09:30 UTC).
const WED_MORNING = new Date('2026-12-02T09:30:00Z');
const ask = (message: string, over: Partial<ResponderInput> = {}) => {
  const r = respond({
    tenantId: 'pizzeria',
    message,
    persona: { name: 'Bob', tone: 'concise' },
    pricebook: PB,
    catalog: MENU,
    profile: PROFILE,
    now: WED_MORNING,
    faq: { version: '0', entries: [] },
    tenant: { name: 'Pizzeria Da Mario', officeHours: '' },
    ...over,
  });
  return { ...r, text: r.text.replace(/[\u00a0\u202f]/g, ' ') };
};

describe('a business answers from its own catalog', () => {
  it('quotes an item in the language\'s format, with its options', () => {
    expect(ask('How much is a Margherita?')).toMatchObject({ intent: 'item', itemIds: ['margherita'], catalogUsed: true, text: 'Margherita costs €8.50. Options: maxi €12.00.' });
    expect(ask('Quanto costa la margherita?')).toMatchObject({ itemIds: ['margherita'], text: 'Margherita costa 8,50 €. Opzioni: maxi 12,00 €.' });
    expect(ask('quanto costa il tiramisù?').text).toBe('Tiramisù costa 5,00 € a porzione.');
  });

  it('says "on request" and offers a person for an item without a price, and that an unavailable one is unavailable', () => {
    expect(ask('How much does catering cost?')).toMatchObject({ itemIds: ['catering'], answered: true });
    expect(ask('How much does catering cost?').text).toMatch(/^Catering is priced on request\. Would you like me to bring in a person/);
    const calzone = ask('How much is the calzone?');
    expect(calzone).toMatchObject({ itemIds: ['calzone'], answered: false });
    expect(calzone.text).toMatch(/^Calzone is not available at the moment\./);
    expect(calzone.text).not.toContain('9');
  });

  it('lists the available items of a category asked for, in either language', () => {
    const en = ask('What pizzas do you have?');
    expect(en).toMatchObject({ intent: 'category', itemIds: ['margherita', 'diavola', 'quattro-formaggi'] });
    expect(en.text).toBe("Here's what we have in Pizze: Margherita (€8.50), Diavola (€9.50), Quattro formaggi (€10.00).");
    expect(ask('Che pizze avete?').text).toBe('Ecco cosa abbiamo in Pizze: Margherita (8,50 €), Diavola (9,50 €), Quattro formaggi (10,00 €).');
  });

  it('never quotes the platform\'s plans, and says plainly what is not on its list', () => {
    for (const q of ['How much is Pro?', 'What are your plans?', 'How much is a carbonara?', 'Quanto costa il piano Enterprise?']) {
      const r = ask(q);
      expect(r.text, q).not.toMatch(/\$|249|79|899|credit/);
      expect(r.answered, q).toBe(false);
      expect(r.text, q).toMatch(/person|persona/);
    }
    expect(ask('How much is a carbonara?')).toMatchObject({ intent: 'not_listed', catalogUsed: true });
    expect(ask('How much is a carbonara?').text).toMatch(/^I don't see that on our list/);
  });

  it('quotes no amount at all before anything is published', () => {
    for (const catalog of [null, { version: null, currency: 'EUR', items: [] }]) {
      const r = ask('How much is a Margherita?', { catalog });
      expect(r).toMatchObject({ intent: 'not_listed', answered: false });
      expect(r.text).toMatch(/haven't published our prices/);
      expect(r.text).not.toMatch(/\d/);
    }
  });

  it('everything it quotes passes the price guard for that catalog', () => {
    for (const q of ['How much is a Margherita?', 'What pizzas do you have?', 'Quanto costa il tiramisù?', 'What do you offer?']) {
      expect(checkPrices(ask(q).text, catalogFacts(MENU)), q).toEqual({ ok: true });
    }
    expect(checkPrices('Pro is $249 a month', catalogFacts(MENU)).ok).toBe(false);
    expect(checkPrices('La Margherita costa 7,50 €', catalogFacts(MENU)).ok).toBe(false);
  });
});

describe('hours, in the business\'s time zone', () => {
  const at = (iso: string, q: string) => ask(q, { now: new Date(iso) }).text;

  it('answers "open now?" at fixed times (10:30 open, 13:30 lunch, 19:00 closed, Sunday)', () => {
    expect(at('2026-12-02T09:30:00Z', 'Are you open now?')).toBe("Yes, we're open now, until 13:00.");
    expect(at('2026-12-02T12:30:00Z', 'Siete aperti adesso?')).toBe('In questo momento siamo chiusi. Riapriamo oggi alle 14:00.');
    expect(at('2026-12-02T18:00:00Z', 'Are you open right now?')).toBe("We're closed right now. We open again tomorrow at 09:00.");
    expect(at('2026-12-06T10:00:00Z', 'Are you open now?')).toBe("We're closed right now. We open again tomorrow at 09:00.");
  });

  it('answers for a weekday, closing time today, and a closure date', () => {
    expect(at('2026-12-02T09:30:00Z', 'Are you open on Sunday?')).toBe("Sunday we're closed.");
    expect(at('2026-12-02T09:30:00Z', 'Siete aperti sabato?')).toBe('Sabato siamo aperti 10:00–14:00.');
    expect(at('2026-12-02T09:30:00Z', 'What time do you close today?')).toBe("Today we're open 09:00–13:00 and 14:00–18:00: we close at 18:00.");
    expect(at('2026-12-24T10:00:00Z', 'Are you open tomorrow?')).toBe("Tomorrow we're closed (Natale).");
    expect(at('2026-12-25T10:00:00Z', 'Are you open today?')).toBe("We're closed today (Natale). We open again tomorrow at 10:00.");
  });

  it('uses the business\'s day, not the server\'s: 23:30 UTC on Tuesday is already Wednesday in Rome', () => {
    expect(ask('What time do you close today?', { now: new Date('2026-12-01T23:30:00Z') }).text).toMatch(/we close at 18:00/);
    expect(ask('Are you open now?', { now: new Date('2026-12-01T23:30:00Z') }).text).toBe("We're closed right now. We open again today at 09:00.");
  });

  it('gives the week, and records that it used the hours', () => {
    const r = ask('What are your opening hours?');
    expect(r.text).toBe('Our opening hours: Mon–Fri 09:00–13:00 and 14:00–18:00; Sat 10:00–14:00; Sun closed.');
    expect(r.profile).toEqual(['hours', 'closures']);
  });
});

describe('who Bob is', () => {
  it('introduces itself with what a business\'s Bob can do, not the platform\'s plans', () => {
    expect(ask('Who are you?').text).toBe("Bob, Pizzeria Da Mario's virtual assistant: prices, hours, directions, or a person from the team.");
    expect(ask('Chi sei?').text).not.toMatch(/piani/);
  });
});

describe('contact details', () => {
  it('gives the address, phone and email, and says so when one is missing', () => {
    expect(ask('Where are you?')).toMatchObject({ intent: 'location', profile: ['address'], text: "You'll find us at Via del Corso 12, 00186 Roma." });
    expect(ask('Dove siete?').text).toBe('Ci trovi in Via del Corso 12, 00186 Roma.');
    expect(ask('What is your phone number?').text).toBe('You can call us on +39 06 1234 5678.');
    expect(ask('Qual è la vostra email?').text).toBe('Puoi scriverci a info@pizzeria.example.');
    expect(ask('Where are you?', { profile: { ...PROFILE, address: undefined } })).toMatchObject({ answered: false, profile: [] });
  });
});
