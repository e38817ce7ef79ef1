// What the FAQ index (faq-index.ts) and the document index (knowledge-index.ts) share: the words a
// search counts, and one cached index per tenant, rebuilt when its version changes.
import { words } from './language';

// Words that carry no topic in either language; they neither match nor count against a match.
// "plan" and "how much" are in every pricing question, which the built-in answers cover.
export const STOPWORDS: ReadonlySet<string> = new Set(
  `plan plans piano piani much many quanto quanta quanti quante
  a an the is are was be been do does did you your yours i me my we our us it its this that these those there here to of for in
  on at by with from about and or but if so can could would will should shall may might have has had get any some what which
  who whom how when where why please hi hello hey tell know want like need
  il lo la i gli le un uno una di da in con su per tra fra che e o ma se non mi ti ci vi si ne c l sono sei siamo siete ho
  hai ha abbiamo avete hanno come cosa quale quali quando dove perche chi del dello della dei degli delle al allo alla ai agli
  alle dal dalla nel nella sul sulla vostro vostra vostri vostre mio mia posso potete puoi vorrei voglio sapere ciao`.split(/\s+/),
);

/** The message's words that carry a topic, in order (repeats kept). */
export const terms = (text: string) => words(text).filter((w) => !STOPWORDS.has(w));

/**
 * A crude stem for document search, the same in both languages: plural and final-vowel endings
 * dropped ("taxes" → "tax", "pizze"/"pizza" → "pizz"), then at most six letters kept, so
 * "deliver", "delivery" and "deliveries" meet, and so do "consegnate" and "consegniamo".
 */
export function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('es') && !w.endsWith('ses')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 4 && /[aeio]$/.test(w)) w = w.slice(0, -1);
  return w.slice(0, 6);
}

/** A word as the document index holds it: null for stopwords and single letters. */
export const docTerm = (word: string): string | null => (word.length < 2 || STOPWORDS.has(word) ? null : stem(word));

/** The distinct document terms of a text. */
export const docTerms = (text: string): Set<string> => new Set(words(text).flatMap((w) => docTerm(w) ?? []));

/**
 * One index per tenant, kept until the tenant's version changes (then `build` runs again); the
 * least recently used tenant is dropped first once there are more than `max`. `cached` answers
 * the index for that version if it is still kept, without building or reordering anything.
 */
export function tenantCache<S, T>(max: number, build: (source: S) => T) {
  const cache = new Map<string, { version: string; value: T }>();
  return {
    get(tenantId: string, version: string, source: S): T {
      let hit = cache.get(tenantId);
      cache.delete(tenantId);
      if (!hit || hit.version !== version) hit = { version, value: build(source) };
      cache.set(tenantId, hit);
      if (cache.size > max) cache.delete(cache.keys().next().value!);
      return hit.value;
    },
    cached(tenantId: string, version: string): T | undefined {
      const hit = cache.get(tenantId);
      return hit?.version === version ? hit.value : undefined;
    },
  };
}
