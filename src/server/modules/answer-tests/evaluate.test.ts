import { describe, expect, it } from 'vitest';
import { contains, evaluate, normalise, outcomeOf } from './evaluate';

const answer = (text: string) => ({ text, answered: true, handoff: false });
const unknown = (text = "I don't know that yet. Shall I ask a person?") => ({ text, answered: false, handoff: false });
const handoff = (text = 'I am calling a person for you.') => ({ text, answered: true, handoff: true });

describe('outcomeOf', () => {
  it('is handoff first, then unanswered, else answer', () => {
    expect(outcomeOf({ handoff: true, answered: true })).toBe('handoff');
    expect(outcomeOf({ handoff: true, answered: false })).toBe('handoff');
    expect(outcomeOf({ handoff: false, answered: false })).toBe('unanswered');
    expect(outcomeOf({ handoff: false, answered: true })).toBe('answer');
  });
});

describe('matching', () => {
  it('ignores case, accents and spacing, non-breaking spaces in money included', () => {
    expect(normalise('  Caffè\u00a0 LATTE \n')).toBe('caffe latte');
    expect(contains('Tax return costa 180,00\u00a0€ each.', '180,00 €')).toBe(true);
    expect(contains('Tax return costa 180,00\u202f€ each.', '180,00€')).toBe(true);
    expect(contains('Initial consultation costs €90.00 per hour.', '€ 90')).toBe(true);
    expect(contains('PERCHÉ no?', 'perche')).toBe(true);
    expect(contains('Perche no?', 'perché')).toBe(true);
    expect(contains('Tax return costs €180.00 each.', '€200')).toBe(false);
    expect(contains('ﬁle', 'file')).toBe(true); // NFKD folds compatibility ligatures
  });
});

describe('evaluate', () => {
  it('passes an answer with the expected words', () => {
    const r = evaluate({ expect: 'answer', must_include: ['€180', 'tax RETURN'], must_not_include: ['€200'] }, answer('Tax return costs €180.00 each.'));
    expect(r).toEqual({ outcome: 'answer', passed: true, failures: [], why: '' });
  });

  it('lists every broken expectation and says why in one sentence', () => {
    const r = evaluate({ expect: 'answer', must_include: ['€90'], must_not_include: [] }, handoff());
    expect(r.passed).toBe(false);
    expect(r.failures).toEqual([{ kind: 'missing', phrase: '€90' }, { kind: 'expected_answer' }]);
    expect(r.why).toBe('Missing “€90”; expected Bob to answer, it offered a person');

    const u = evaluate({ expect: 'answer', must_include: ['a', 'b', 'c'], must_not_include: ['know'] }, unknown());
    expect(u.outcome).toBe('unanswered');
    expect(u.why).toBe('Missing “b” and “c”; says “know”, which it must not; expected Bob to answer, it said it does not know');
  });

  it('expects a handoff: a handoff or an honest "I don\'t know" passes, an answer fails', () => {
    const t = { expect: 'handoff' as const, must_include: [], must_not_include: [] };
    expect(evaluate(t, handoff()).passed).toBe(true);
    expect(evaluate(t, unknown()).passed).toBe(true);
    const a = evaluate(t, answer('Sure, we do that.'));
    expect(a.failures).toEqual([{ kind: 'expected_handoff' }]);
    expect(a.why).toBe('Expected a person to be offered, Bob answered itself');
  });
});
