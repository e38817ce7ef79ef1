// Streams a model's answer to the visitor without ever showing a price the business did not
// publish: text is released word by word, a number only once the words after it (its currency or
// unit) have arrived, and only while everything released so far passes the price guard. After the
// first failure nothing more is released; the final reply (the built-in responder's) replaces it.
import { checkPrices, type PriceFacts } from './price-guard';

/** What a model says when the facts do not answer the question (see prompt.ts). */
export const UNKNOWN_MARKER = 'UNKNOWN';
// A number is held until this many words follow it.
const WORDS_AFTER_NUMBER = 2;

export function createGuardedStream(facts: PriceFacts, emit: (text: string) => void) {
  let released = '';
  let pending = '';
  let blocked = false;

  /** Where the releasable part of `pending` ends (0 = nothing yet). */
  function releasable(): number {
    const text = released + pending;
    // The marker must never show, even in part.
    if (UNKNOWN_MARKER.startsWith(text.trim().toUpperCase().slice(0, UNKNOWN_MARKER.length))) return 0;
    const words = [...pending.matchAll(/\S+\s+/g)];
    if (!words.length) return 0;
    let cut = words.length;
    for (let i = 0; i < words.length; i++) {
      if (/\d/.test(words[i]![0]) && words.length - 1 - i < WORDS_AFTER_NUMBER) {
        cut = i;
        break;
      }
    }
    if (cut === 0) return 0;
    const last = words[cut - 1]!;
    return last.index! + last[0].length;
  }

  return {
    push(token: string) {
      if (blocked) return;
      pending += token;
      const end = releasable();
      if (!end) return;
      const candidate = released + pending.slice(0, end);
      if (!checkPrices(candidate, facts).ok) {
        blocked = true;
        return;
      }
      emit(pending.slice(0, end));
      released = candidate;
      pending = pending.slice(end);
    },
    /** The text the visitor has already seen. */
    released: () => released,
  };
}
