import { describe, expect, it } from 'vitest';
import { cluster, groupUnanswered, similar, stem, stems, wordings, type UnansweredItem } from './grouping';

const texts = (questions: string[]) => cluster(questions.map((question) => ({ question, created_at: '2026-01-01T00:00:00.000Z' }))).map((g) => g.map((i) => questions[i]));

describe('stem', () => {
  it('takes common English and Italian endings off, the same way for every form', () => {
    expect(['deliver', 'delivers', 'delivery', 'deliveries', 'delivering', 'delivered'].map(stem)).toEqual(Array(6).fill('deliver'));
    expect(['consegna', 'consegne', 'consegnare', 'consegnate', 'consegnano', 'consegniamo'].map(stem)).toEqual(Array(6).fill('consegn'));
    expect(['prenotazione', 'prenotazioni', 'prenotare', 'prenotato'].map(stem)).toEqual(Array(4).fill('prenot'));
    expect(['pizza', 'pizzas', 'pizze'].map(stem)).toEqual(['pizz', 'pizz', 'pizz']);
    expect(['price', 'prices', 'parking', 'parcheggio', 'parcheggi'].map(stem)).toEqual(['pric', 'pric', 'park', 'parchegg', 'parchegg']);
  });

  it('never leaves fewer than 4 letters, and keeps "ss", "us", "is"', () => {
    expect(['rate', 'bus', 'glass', 'menu', 'eat', 'open', 'opens', 'opening'].map(stem)).toEqual(['rate', 'bus', 'glass', 'menu', 'eat', 'open', 'open', 'open']);
  });
});

describe('stems', () => {
  it('keeps content words only: no stopwords (English, Italian), no numbers, accents stripped', () => {
    expect([...stems('Do you deliver to Monza?')]).toEqual(['deliver', 'monz']);
    expect([...stems('Is delivery available in Monza?')]).toEqual(['deliver', 'monz']);
    expect([...stems('È possibile la consegna a Monza entro le 18?')]).toEqual(['consegn', 'monz', 'entr']);
  });
});

describe('similar', () => {
  it('needs half the shorter question\'s stems and one shared stem of 4+ letters', () => {
    expect(similar(new Set(['deliver', 'monz']), new Set(['deliver', 'order', 'monz']))).toBe(true);
    expect(similar(new Set(['deliver', 'monz']), new Set(['park']))).toBe(false);
    expect(similar(new Set(['car', 'wash']), new Set(['car', 'rent', 'price']))).toBe(false); // only "car" (3 letters) shared
    expect(similar(new Set(), new Set())).toBe(false);
  });
});

describe('cluster', () => {
  it('puts differently worded questions about the same thing together (English)', () => {
    expect(
      texts(['Do you deliver to Monza?', 'Is delivery available in Monza?', 'Can you deliver my order to Monza tomorrow?', 'Do you have parking?']),
    ).toEqual([['Do you deliver to Monza?', 'Is delivery available in Monza?', 'Can you deliver my order to Monza tomorrow?'], ['Do you have parking?']]);
  });

  it('does the same in Italian', () => {
    expect(
      texts(['Consegnate a Monza?', 'Fate consegne a Monza?', 'È possibile la consegna a domicilio a Monza domani?', 'Avete il parcheggio?', "C'è parcheggio per i clienti?"]),
    ).toEqual([
      ['Consegnate a Monza?', 'Fate consegne a Monza?', 'È possibile la consegna a domicilio a Monza domani?'],
      ['Avete il parcheggio?', "C'è parcheggio per i clienti?"],
    ]);
  });

  it('does not join questions on a word that only asks ("available", "possibile")', () => {
    expect(texts(['Is parking available?', 'Is delivery available in Monza?'])).toHaveLength(2);
    expect(texts(['È possibile parcheggiare?', 'È possibile la consegna a Monza?'])).toHaveLength(2);
  });

  it('single link: A~B and B~C make one group even when A and C share little', () => {
    expect(texts(['gluten free pizza', 'gluten free options vegan menu', 'vegan menu'])).toHaveLength(1);
  });

  it('identical wording always joins, even without content words', () => {
    expect(texts(['???', 'Hello?', 'hello', '???'])).toEqual([['???', '???'], ['Hello?', 'hello']]);
  });
});

describe('wordings', () => {
  it('the most frequent first, ties the shortest; the same words typed differently are one wording', () => {
    expect(wordings(['Is delivery available in Monza?', 'Do you deliver to Monza?', 'do you deliver to monza', 'Can you deliver to Monza tomorrow?'])).toEqual([
      { text: 'Do you deliver to Monza?', count: 2 },
      { text: 'Is delivery available in Monza?', count: 1 },
      { text: 'Can you deliver to Monza tomorrow?', count: 1 },
    ]);
  });
});

describe('groupUnanswered', () => {
  const item = (question: string, at: string, conversation: string, reason: UnansweredItem['reason'] = 'unknown'): UnansweredItem => ({
    question,
    created_at: `2026-03-0${at}T10:00:00.000Z`,
    reason,
    conversation_id: conversation,
    session_id: `s_${conversation}`,
  });

  it('counts, first and last seen, reasons and conversations newest first; groups by count then recency', () => {
    const groups = groupUnanswered([
      item('Do you have parking?', '1', 'p'),
      item('Is delivery available in Monza?', '2', 'a'),
      item('Do you deliver to Monza?', '3', 'b', 'handoff'),
      item('Can you deliver my order to Monza tomorrow?', '4', 'a', 'fallback'),
      item('Is there a lift?', '5', 'c'),
    ]);
    expect(groups.map((g) => [g.question, g.count])).toEqual([
      ['Do you deliver to Monza?', 3],
      ['Is there a lift?', 1],
      ['Do you have parking?', 1],
    ]);
    expect(groups[0]).toEqual({
      question: 'Do you deliver to Monza?',
      wordings: ['Do you deliver to Monza?', 'Is delivery available in Monza?', 'Can you deliver my order to Monza tomorrow?'],
      count: 3,
      first_seen: '2026-03-02T10:00:00.000Z',
      last_seen: '2026-03-04T10:00:00.000Z',
      reasons: { unknown: 1, handoff: 1, fallback: 1 },
      conversations: [
        { id: 'a', session_id: 's_a' },
        { id: 'b', session_id: 's_b' },
      ],
    });
  });
});
