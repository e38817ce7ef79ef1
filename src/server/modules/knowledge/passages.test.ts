import { describe, expect, it } from 'vitest';
import { normalizeText, PASSAGE_MAX, splitPassages } from './passages';

const sentence = (n: number) => `Sentence number ${n} says something useful about the shop and its opening hours.`;
const paragraph = (from: number, count: number) => Array.from({ length: count }, (_, i) => sentence(from + i)).join(' ');

describe('splitPassages', () => {
  it('keeps a short text as one passage and gives none for empty text', () => {
    expect(splitPassages('We deliver within 5 km.\n\nCall us to order.')).toEqual(['We deliver within 5 km.\n\nCall us to order.']);
    expect(splitPassages('')).toEqual([]);
    expect(splitPassages(' \n\n \t\n')).toEqual([]);
  });

  it('starts a passage at each heading and keeps the heading at its start', () => {
    const text = `# Menu\n## Pizzas\n${paragraph(1, 3)}\n\n## Delivery\n${paragraph(10, 2)}\n\n## Payments\nCards and cash.`;
    const passages = splitPassages(text);
    expect(passages).toHaveLength(3);
    expect(passages[0]).toMatch(/^# Menu\n## Pizzas\nSentence number 1 /);
    expect(passages[1]).toMatch(/^## Delivery\nSentence number 10 /);
    expect(passages[2]).toBe('## Payments\nCards and cash.');
  });

  it('packs paragraphs into passages of roughly 400 to 900 characters', () => {
    const text = Array.from({ length: 12 }, (_, i) => paragraph(i * 3, 3)).join('\n\n');
    const passages = splitPassages(text);
    expect(passages.length).toBeGreaterThan(3);
    for (const p of passages) {
      expect(p.length).toBeLessThanOrEqual(PASSAGE_MAX);
      expect(p.length).toBeGreaterThanOrEqual(400);
    }
    // Nothing is lost or reordered.
    expect(passages.join('\n\n')).toBe(normalizeText(text));
  });

  it('cuts a long paragraph at sentence ends', () => {
    const long = paragraph(1, 40);
    const passages = splitPassages(long);
    expect(passages.length).toBeGreaterThan(2);
    for (const p of passages) {
      expect(p.length).toBeLessThanOrEqual(PASSAGE_MAX);
      expect(p).toMatch(/^Sentence number \d+ .*hours\.$/s);
    }
    expect(passages.join(' ')).toBe(long);
  });

  it('cuts a sentence longer than a passage at spaces', () => {
    const words = Array.from({ length: 400 }, (_, i) => `word${i}`).join(' ');
    const passages = splitPassages(words);
    expect(passages.length).toBeGreaterThan(1);
    for (const p of passages) expect(p.length).toBeLessThanOrEqual(PASSAGE_MAX);
    expect(passages.join(' ')).toBe(words);
  });

  it('merges a tiny trailing bit into the passage before it', () => {
    const text = `${paragraph(1, 8)}\n\n${paragraph(20, 2)}\n\nThanks!`;
    const passages = splitPassages(text);
    expect(passages.at(-1)).toMatch(/\n\nThanks!$/);
    expect(passages.every((p) => p.length > 250)).toBe(true);
  });

  it('is deterministic and tidies line ends', () => {
    const text = `Title line\r\n\r\n\r\n\r\nBody   \r\n${paragraph(1, 30)}`;
    expect(splitPassages(text)).toEqual(splitPassages(text));
    expect(splitPassages(text)[0]).toMatch(/^Title line\n\nBody\n/);
  });
});
