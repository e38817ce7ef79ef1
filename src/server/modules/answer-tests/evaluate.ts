import type { AnswerTestFailure } from '../../../shared/schemas/answer-tests';
import type { ResponderOutput } from '../responder/builtin';

export type Outcome = 'answer' | 'handoff' | 'unanswered';

/** What one test asks of a reply. */
export interface Expectation {
  expect: 'answer' | 'handoff';
  must_include: string[];
  must_not_include: string[];
}

export interface Evaluation {
  outcome: Outcome;
  passed: boolean;
  failures: AnswerTestFailure[];
  /** The failures in one English sentence; empty when passed. */
  why: string;
}

/** What Bob did: handed the conversation over, said it does not know, or answered. */
export function outcomeOf(out: Pick<ResponderOutput, 'handoff' | 'answered'>): Outcome {
  if (out.handoff) return 'handoff';
  if (!out.answered) return 'unanswered';
  return 'answer';
}

const CURRENCY = '\\p{Sc}';
const aroundCurrency = new RegExp(`\\s*(${CURRENCY})\\s*`, 'gu');

/**
 * Text as the matcher compares it: case and accents ignored (NFKD without combining marks),
 * every kind of space (non-breaking ones in "180,00 €" included) one plain space, and no space
 * next to a currency sign ("180,00 €" and "180,00€", "€ 90" and "€90" are the same).
 */
export function normalise(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[\s\u00a0\u2007\u202f\u200b]+/g, ' ')
    .replace(aroundCurrency, '$1')
    .trim();
}

/** Whether `text` contains `phrase`, with case, accents and spacing ignored. */
export const contains = (text: string, phrase: string) => {
  const p = normalise(phrase);
  return p === '' || normalise(text).includes(p);
};

const quote = (s: string) => `“${s}”`;
const list = (phrases: string[]) =>
  phrases.length === 1 ? quote(phrases[0]!) : `${phrases.slice(0, -1).map(quote).join(', ')} and ${quote(phrases[phrases.length - 1]!)}`;

/** One sentence for the failures, e.g. "Missing “€90”; expected Bob to answer, it offered a person". */
export function explain(failures: AnswerTestFailure[], outcome: Outcome): string {
  const parts: string[] = [];
  const missing = failures.filter((f) => f.kind === 'missing').map((f) => f.phrase ?? '');
  const forbidden = failures.filter((f) => f.kind === 'forbidden').map((f) => f.phrase ?? '');
  if (missing.length) parts.push(`missing ${list(missing)}`);
  if (forbidden.length) parts.push(`says ${list(forbidden)}, which it must not`);
  if (failures.some((f) => f.kind === 'expected_answer')) {
    parts.push(`expected Bob to answer, ${outcome === 'handoff' ? 'it offered a person' : 'it said it does not know'}`);
  }
  if (failures.some((f) => f.kind === 'expected_handoff')) parts.push('expected a person to be offered, Bob answered itself');
  const sentence = parts.join('; ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** Judges a reply against a test: the outcome it expects and the words it must and must not say. */
export function evaluate(test: Expectation, out: Pick<ResponderOutput, 'text' | 'handoff' | 'answered'>): Evaluation {
  const outcome = outcomeOf(out);
  const failures: AnswerTestFailure[] = [];
  for (const phrase of test.must_include) if (!contains(out.text, phrase)) failures.push({ kind: 'missing', phrase });
  for (const phrase of test.must_not_include) if (contains(out.text, phrase)) failures.push({ kind: 'forbidden', phrase });
  if (test.expect === 'answer' && outcome !== 'answer') failures.push({ kind: 'expected_answer' });
  if (test.expect === 'handoff' && outcome === 'answer') failures.push({ kind: 'expected_handoff' });
  return { outcome, passed: failures.length === 0, failures, why: failures.length ? explain(failures, outcome) : '' };
}
