import { describe, expect, it } from 'vitest';
import { cachedPassages, EXCERPT_MAX, excerptOf, findPassage, KNOWLEDGE_MIN_COVERAGE, KNOWLEDGE_MIN_WORDS, topPassages, type Knowledge, type Passage } from './knowledge-index';
import { docTerms } from './search';

const DELIVERY = 'd0000000-0000-4000-8000-000000000001';
const RETURNS = 'd0000000-0000-4000-8000-000000000002';
const CONSEGNE = 'd0000000-0000-4000-8000-000000000003';
const ALLERGENS = 'd0000000-0000-4000-8000-000000000004';

const PASSAGES: Passage[] = [
  {
    id: `${DELIVERY}:0`,
    documentId: DELIVERY,
    title: 'Delivery terms',
    text: '## Delivery\nWe deliver to Milan, Monza and Sesto San Giovanni every day from 18:00 to 22:30. Orders placed before 21:30 arrive the same evening. Our riders carry card readers.',
  },
  {
    id: `${RETURNS}:0`,
    documentId: RETURNS,
    title: 'Refund policy',
    text: '## Refunds\nIf an order arrives cold or wrong, write to us within 24 hours and we refund it in full. Refunds reach your card within five working days.',
  },
  {
    id: `${CONSEGNE}:0`,
    documentId: CONSEGNE,
    title: 'Condizioni di consegna',
    text: '## Consegne\nConsegniamo a Milano, Monza e Sesto San Giovanni tutti i giorni dalle 18:00 alle 22:30. La consegna è gratuita sopra i 30 euro.',
  },
  {
    id: `${ALLERGENS}:0`,
    documentId: ALLERGENS,
    title: 'Allergens',
    text: '## Allergens\nEvery pizza can be made with gluten-free dough on request. We cannot guarantee the absence of traces of gluten, because the oven is shared. Vegan mozzarella is available for every pizza.',
  },
];

let n = 0;
const knowledge = (passages: Passage[] = PASSAGES, version = 'v1'): Knowledge => ({ version, passages: () => passages });
const find = (message: string, k = knowledge()) => findPassage(`t${n++}`, k, message);

describe('findPassage', () => {
  it.each([
    ['Do you deliver to Monza?', DELIVERY],
    ['do you do deliveries in monza', DELIVERY],
    ['Can I get a refund if my order arrives cold?', RETURNS],
    ['refunds?', RETURNS],
    ['Is the pizza gluten free?', ALLERGENS],
    ['Consegnate a Monza?', CONSEGNE],
    ['Fate consegne a Sesto San Giovanni?', CONSEGNE],
  ])('%s → answered from the document', (message, documentId) => {
    const m = find(message);
    expect(m?.passage.documentId).toBe(documentId);
    expect(m!.confidence).toBeGreaterThanOrEqual(KNOWLEDGE_MIN_COVERAGE);
  });

  it.each([
    'hello',
    'hi there!',
    'thanks',
    'grazie mille',
    'how much is a tax return',
    'Quanto costa la consegna a Monza?',
    'Do you deliver to Rome?',
    'Can I bring my dog?',
    'Avete un parcheggio?',
    'Monza?',
    'What is the capital of France?',
  ])('%s → no passage', (message) => expect(find(message)).toBeNull());

  it('leaves names out of the count: a passage that merely mentions an item does not answer about it', () => {
    // "Margherita" is a catalog item: "Is the margherita vegan?" rests on "vegan" alone, one word in the text.
    const k = knowledge([{ ...PASSAGES[3]!, text: `${PASSAGES[3]!.text} The margherita is our best seller.` }]);
    expect(findPassage('names', k, 'Is the margherita vegan?', new Set(['margherita']))).toBeNull();
    expect(findPassage('names', k, 'Is the margherita vegan?')?.passage.documentId).toBe(ALLERGENS);
    // A word of the title is enough for a one-word question.
    expect(findPassage('names', k, 'Allergens in the margherita?', new Set(['margherita']))?.passage.documentId).toBe(ALLERGENS);
  });

  it('pins the thresholds', () => {
    expect(KNOWLEDGE_MIN_COVERAGE).toBe(0.6);
    expect(KNOWLEDGE_MIN_WORDS).toBe(2);
  });

  it('quotes the sentences that answer, in their order, without the heading', () => {
    const m = find('Do you deliver to Monza?')!;
    expect(m.excerpt).toBe('We deliver to Milan, Monza and Sesto San Giovanni every day from 18:00 to 22:30.');
    expect(m.excerpt).not.toContain('Delivery\n');
    expect(m.excerpt).not.toContain('#');
  });

  it('takes a second sentence when it holds words the first lacks', () => {
    const m = find('Is the dough gluten free, and is the oven shared?')!;
    expect(m.passage.documentId).toBe(ALLERGENS);
    expect(m.excerpt).toBe(
      'Every pizza can be made with gluten-free dough on request. We cannot guarantee the absence of traces of gluten, because the oven is shared.',
    );
  });

  it('drops the sentences the caller does not allow, and answers only if something useful is left', () => {
    const k = knowledge([
      { id: 'p:0', documentId: DELIVERY, title: 'Delivery terms', text: 'We deliver to Monza for €45. Delivery to Milan is free.' },
    ]);
    const noEuro = (s: string) => !s.includes('€');
    expect(findPassage('allow', k, 'Do you deliver to Monza?', new Set(), { allow: noEuro })?.excerpt).toBe('Delivery to Milan is free.');
    const only = knowledge([{ id: 'p:0', documentId: DELIVERY, title: 'Delivery terms', text: '## Monza\nMonza deliveries cost €45.' }], 'v2');
    expect(findPassage('allow', only, 'Do you deliver to Monza?', new Set(), { allow: noEuro })).toBeNull();
  });

  it('keeps one index per tenant until the knowledge version changes', () => {
    let reads = 0;
    const k = (version: string, text: string): Knowledge => ({
      version,
      passages: () => {
        reads++;
        return [{ id: 'x:0', documentId: DELIVERY, title: 'Delivery terms', text }];
      },
    });
    const ask = (kn: Knowledge, tenant = 'cache') => findPassage(tenant, kn, 'Do you deliver to Monza?')?.excerpt ?? null;
    expect(ask(k('a', 'We deliver to Monza.'))).toBe('We deliver to Monza.');
    // Same version: the passages are not read again, the cached index answers.
    expect(ask(k('a', 'We no longer deliver to Monza.'))).toBe('We deliver to Monza.');
    expect(reads).toBe(1);
    expect(ask(k('b', 'We no longer deliver to Monza.'))).toBe('We no longer deliver to Monza.');
    expect(reads).toBe(2);
    expect(ask(k('b', 'Pickup only.'), 'other')).toBeNull();
  });

  it('hands back the passages its kept index was built from, for that version only', () => {
    const tenant = `t${n++}`;
    expect(cachedPassages(tenant, 'v1')).toBeUndefined();
    findPassage(tenant, knowledge([...PASSAGES, PASSAGES[0]!]), 'Do you deliver to Monza?');
    // Deduplicated as the index holds them: rebuilding from them gives the same index.
    expect(cachedPassages(tenant, 'v1')).toEqual(PASSAGES);
    expect(cachedPassages(tenant, 'v2')).toBeUndefined();
  });

  it('indexes 5,000 passages and still finds the one that answers', () => {
    const passages: Passage[] = Array.from({ length: 5000 }, (_, i) => ({
      id: `big:${i}`,
      documentId: `doc-${Math.floor(i / 50)}`,
      title: `Handbook chapter ${Math.floor(i / 50)}`,
      text: `## Section ${i}\nRule ${i} covers topic${i} for the warehouse team. Forklifts need inspection before shift ${i % 7}. Staff wear badges at all times.`,
    }));
    passages[4321] = { ...passages[4321]!, text: 'Our bakery ships sourdough to Bergamo on Tuesdays.' };
    const k = knowledge(passages, 'big');
    const m = findPassage('big', k, 'Do you ship sourdough to Bergamo?');
    expect(m?.passage.id).toBe('big:4321');
    expect(topPassages('big', k, 'sourdough Bergamo', 3)[0]?.id).toBe('big:4321');
  });
});

describe('topPassages', () => {
  it('ranks the passages holding the words, at most n, above a low floor', () => {
    const top = topPassages('top', knowledge(), 'delivery to Monza and refunds', 3);
    expect(top.length).toBeGreaterThan(0);
    expect(top.length).toBeLessThanOrEqual(3);
    expect(top.map((p) => p.documentId)).toContain(DELIVERY);
    expect(topPassages('top', knowledge(), 'hello', 3)).toEqual([]);
    expect(topPassages('top', knowledge(), 'What is the capital of France?', 3)).toEqual([]);
    expect(topPassages('top', knowledge(), 'Do you deliver to Monza?', 1)).toHaveLength(1);
  });
});

describe('excerptOf', () => {
  const matched = (q: string) => docTerms(q);

  it('is at most EXCERPT_MAX characters, cut at a word', () => {
    const long = `We deliver to Monza ${'and the surrounding towns '.repeat(40)}every day.`;
    const e = excerptOf(long, matched('deliver Monza'));
    expect(e.length).toBeLessThanOrEqual(EXCERPT_MAX);
    expect(e.endsWith('…')).toBe(true);
    expect(e.startsWith('We deliver to Monza')).toBe(true);
  });

  it('joins a list to the line that introduces it, and wrapped lines to their sentence', () => {
    expect(excerptOf('Delivery\nWe deliver to:\n- Milan\n- Monza\n- Sesto', matched('deliver Monza'))).toBe('We deliver to: Milan; Monza; Sesto.');
    expect(excerptOf('We deliver to Milan, Monza\nand Sesto every day.', matched('deliver Monza'))).toBe('We deliver to Milan, Monza and Sesto every day.');
  });

  it('is never a heading alone', () => {
    expect(excerptOf('## Delivery to Monza\nAsk in store.', matched('deliver Monza'))).toBe('');
    expect(excerptOf('## Delivery to Monza\nAsk in store.', matched('deliver Monza'), true)).toBe('Ask in store.');
  });
});
