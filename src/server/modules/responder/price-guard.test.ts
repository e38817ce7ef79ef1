import { describe, expect, it } from 'vitest';
import type { Pricebook } from '../../../shared/schemas/pricebook';
import { PRICEBOOK_V1 } from '../pricebook/pricebook.seed';
import { respond } from './builtin';
import { checkPrices, pricebookFacts } from './price-guard';

// USD: prices 79, 249, 899; credits 15,000, 75,000, 250,000; 1 credit per AI reply.
const USD: Pricebook = { version: 1, status: 'published', published_at: null, ...PRICEBOOK_V1 };
// EUR with a decimal price and a four-digit one, to tell thousands from decimals.
const EUR: Pricebook = {
  ...USD,
  currency: 'EUR',
  credits_per_ai_reply: 2,
  plans: [
    { id: 'mini', name: 'Mini', price_month: 12.5, credits_month: 5_000, seats: 1, integrations: 0, support: 'Email' },
    { id: 'base', name: 'Base', price_month: 79, credits_month: 15_000, seats: 3, integrations: 1, support: 'Standard' },
    { id: 'max', name: 'Max', price_month: 1299, credits_month: 1_250_000, seats: null, integrations: 10, support: 'Dedicated' },
  ],
};

const unknownIn = (text: string, pb: Pricebook) => {
  const r = checkPrices(text, pricebookFacts(pb));
  return r.ok ? [] : r.unknown;
};

describe('checkPrices: prices the pricebook holds pass', () => {
  it.each([
    'Base is $79 a month.',
    'Pro: $ 249/month',
    'Base costs $79.00 per month.',
    'Enterprise costs 899$ a month.',
    'Enterprise: 899 $ al mese',
    'Il piano Base costa 79\u00a0$ al mese.',
    'Pro is USD 249 monthly.',
    'Pro is 249 USD.',
    'Base is 79 dollars a month.',
    'Il piano Pro costa 249 dollari al mese.',
    'Enterprise is US$899/month.',
    'Base is $79/mo, Pro is $249/mo and Enterprise is $899/mo.',
    'Prices in USD: Base 79/month, Pro 249/month.',
    'Pro costs $249 a month and includes 10 team seats, 24/7 support and 3 integrations.',
  ])('USD: %s', (text) => expect(checkPrices(text, pricebookFacts(USD))).toEqual({ ok: true }));

  it.each([
    'Base costa € 79,00 al mese.',
    'Base: 79 euro al mese',
    'Base: 79 EUR',
    'Max costa 1.299,00 € al mese.',
    'Max costa 1299 € al mese.',
    'Max is €1,299 a month.',
    'Max is €1,299.00 a month.',
    'Mini costa 12,50 € al mese.',
    'Mini is €12.50/month.',
    'Mini: 12,5 euro',
    'Dal 2026 il piano Base costa €79.',
    'Prezzi: Base 79 € Max 1299 €',
  ])('EUR: %s', (text) => expect(checkPrices(text, pricebookFacts(EUR))).toEqual({ ok: true }));

  it.each([
    ['Pro includes 75,000 AI credits a month.', USD],
    ['Il piano Pro include 75.000 crediti IA al mese.', USD],
    ['Base comes with 15k credits.', USD],
    ['Base include 15 mila crediti.', USD],
    ['Each AI reply uses 1 credit.', USD],
    ['Enterprise: 250,000 credits', USD],
    ['Max include 1.250.000 crediti.', EUR],
    ['Max includes 1.25M credits.', EUR],
    ['Max include 1,25 milioni di crediti al mese.', EUR],
    ["Ogni risposta dell'IA consuma 2 crediti.", EUR],
  ] as const)('credits: %s', (text, pb) => expect(checkPrices(text, pricebookFacts(pb))).toEqual({ ok: true }));
});

describe('checkPrices: numbers that are not prices are left alone', () => {
  it.each([
    'Call us at 06 1234 5678.',
    'Chiamaci allo +39 06 1234 5678 dalle 9.00 alle 18.00.',
    '© 2026 Business Co',
    'Support is available 24/7.',
    'Pro includes 10 seats and 3 integrations.',
    'Il piano Pro include 10 posti e 3 integrazioni.',
    'This is version 2 of the pricebook; v2.1 comes next.',
    'We are open Mon–Fri 9:00–18:00.',
    'Get 20% off the first 3 months.',
    'Pay with 1 credit card.',
    'Our office is at 1.299 Main Street, 00184 Roma.',
    'Base is 79 a month.', // no currency anywhere: not a statement this guard can check
    'The 3 plans: Base, Pro and Enterprise. ALL 3 have email support.',
  ])('%s', (text) => expect(checkPrices(text, pricebookFacts(USD))).toEqual({ ok: true }));
});

describe('checkPrices: unknown amounts are reported', () => {
  it.each([
    ['Pro is $199 a month.', USD, ['$199']],
    ['Pro is $ 199/month.', USD, ['$ 199']],
    ['Base is $79.99.', USD, ['$79.99']],
    ['Enterprise is $1,299.', USD, ['$1,299']],
    ['Il piano Pro costa 199 dollari al mese.', USD, ['199 dollari']],
    ['Pro is USD 199.', USD, ['USD 199']],
    // Right number, wrong currency.
    ['Base is €79 a month.', USD, ['€79']],
    ['Base costa 79 euro al mese.', USD, ['79 euro']],
    ['Base is CA$79.', USD, ['CA$79']],
    ['Base costa 79 $.', EUR, ['79 $']],
    // Separators decide the value: "1.29" is not 1299, "1.299" is.
    ['Max costa 1.29 €.', EUR, ['1.29 €']],
    ['Max costa 1,29 €.', EUR, ['1,29 €']],
    ['Mini costa 12,05 €.', EUR, ['12,05 €']],
    // A bare monthly figure, with the currency written nearby.
    ['Prices in USD: Base 79/month, Pro 199/month.', USD, ['199/month']],
    ['Prezzi in euro: Base 79 al mese.', USD, ['79 al mese']],
    ['Base: $79/month, Pro: 199/month.', USD, ['199/month']],
    // Credits.
    ['Pro includes 80,000 credits.', USD, ['80,000 credits']],
    ['Il piano Pro include 80.000 crediti IA.', USD, ['80.000 crediti']],
    ['Each AI reply uses 2 credits.', USD, ['2 credits']],
    ['Base comes with 20k AI credits.', USD, ['20k AI credits']],
    ['Max include 2 milioni di crediti.', EUR, ['2 milioni di crediti']],
    // A monthly figure written the Italian way, and the currency after it.
    ['Pro costa 199 mensile, prezzi in USD.', USD, ['199 mensile']],
    // Several at once, each quoted once, in order.
    ['Base is $99, Pro is $249, Enterprise is €899 and Base again $99.', USD, ['$99', '€899']],
  ] as const)('%s', (text, pb, unknown) => expect(unknownIn(text, pb)).toEqual(unknown));

  it('keeps a year next to a price apart from it', () => {
    expect(unknownIn('Nel 2026 €99 al mese.', EUR)).toEqual(['€99']);
    expect(unknownIn('Prezzi 2026: 99 € al mese.', EUR)).toEqual(['99 €']);
  });
});

describe('checkPrices: everything the built-in responder says passes', () => {
  it.each([
    ['What plans do you have?', USD],
    ['Compare the plans', USD],
    ['How many credits does Pro include?', USD],
    ['Quanto costa il piano Enterprise?', USD],
    ['Confronta i piani', USD],
    ['Quanti crediti ha il piano Base?', USD],
    ['Compare the plans', EUR],
    ['Confronta i piani', EUR],
    ['How many credits do the plans include?', EUR],
  ] as const)('%s (%s)', (message, pb) => {
    const { text } = respond({
      tenantId: 't',
      message,
      persona: { name: 'Bob', tone: 'friendly' },
      pricebook: pb,
      faq: { version: '0', entries: [] },
      tenant: { name: 'Business Co', officeHours: 'Mon–Fri 9:00–18:00' },
    });
    expect(text).toMatch(/\d/);
    expect(checkPrices(text, pricebookFacts(pb))).toEqual({ ok: true });
  });
});
