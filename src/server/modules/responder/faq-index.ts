// Tenant FAQ retrieval: MiniSearch ranks the entries (BM25), then a confidence gate decides
// whether the best one really answers the visitor's question.
import MiniSearch, { type SearchResult } from 'minisearch';
import { words } from './language';
import { STOPWORDS, tenantCache, terms } from './search';

export interface FaqEntry {
  id: string;
  question: string;
  answer: string;
}

export interface Faq {
  /** Changes whenever the tenant's FAQ changes; the cached index is rebuilt then. */
  version: string;
  /** Every entry (read only to rebuild the index; see `cachedFaqEntries`). */
  entries: FaqEntry[];
}

/**
 * How well the best entry must match (0–1) to be answered with. The measure is an F1 of word
 * overlap: the share of the visitor's words the entry matches (question or answer) and the share
 * of the entry's question words the visitor used. Raw BM25 scores are not comparable across
 * tenants (they grow with the number of entries); these shares are. At 0.5, "Is there visitor
 * parking?" against "Do you offer parking for visitors?" passes (0.8) and so does a bare
 * "parking?" (0.5), while "Does it work on WhatsApp?" against "Can Bob answer on WhatsApp?"
 * (0.4) is left to the built-in answers. builtin.test.ts pins both sides of the line.
 */
export const FAQ_MIN_CONFIDENCE = 0.5;
// BM25 order decides which entries are considered; the gate then picks among the first few.
const CANDIDATES = 3;
const CACHE_MAX = 200;

interface Cached {
  index: MiniSearch<FaqEntry>;
  /** What it was built from (the last entry with an id kept). */
  entries: FaqEntry[];
  /** Entry id → its distinct question words. */
  questionWords: Map<string, Set<string>>;
}

function build(faq: Faq): Cached {
  const index = new MiniSearch<FaqEntry>({
    fields: ['question', 'answer'],
    storeFields: ['question', 'answer'],
    tokenize: (text) => words(text),
    processTerm: (term) => (STOPWORDS.has(term) ? null : term),
    searchOptions: {
      boost: { question: 2 },
      // Typos and plurals on real words only: on short words ("pro", "ore") a prefix or an edit
      // matches too much to mean anything.
      fuzzy: (term) => (term.length >= 5 ? 0.2 : false),
      prefix: (term) => term.length >= 4,
    },
  });
  // MiniSearch throws on a repeated id; the last entry with an id wins instead.
  const entries = [...new Map(faq.entries.map((e) => [e.id, e])).values()];
  index.addAll(entries);
  return { index, entries, questionWords: new Map(entries.map((e) => [e.id, new Set(terms(e.question))])) };
}

/** One index per tenant, least recently used dropped first. */
const indexFor = tenantCache(CACHE_MAX, build);

/**
 * The entries the tenant's index was built from, if the index for this version is still kept:
 * the caller need not read them again (and the index built from them is the same).
 */
export const cachedFaqEntries = (tenantId: string, version: string): FaqEntry[] | undefined => indexFor.cached(tenantId, version)?.entries;

/** F1 of the word overlap between the visitor's words and the entry's question (see FAQ_MIN_CONFIDENCE). */
function confidence(result: SearchResult, asked: number, questionWords: Set<string>, planWords: ReadonlySet<string>): number {
  const size = [...questionWords].filter((w) => !planWords.has(w)).length;
  const matchedInQuestion = Object.entries(result.match).filter(([term, fields]) => !planWords.has(term) && fields.includes('question')).length;
  const coveredQuery = result.queryTerms.filter((w) => !planWords.has(w)).length / asked;
  const coveredQuestion = size ? Math.min(1, matchedInQuestion / size) : 0;
  return coveredQuery && coveredQuestion ? (2 * coveredQuery * coveredQuestion) / (coveredQuery + coveredQuestion) : 0;
}

/**
 * The entry that answers the message, if one does confidently enough. Plan names (`planWords`,
 * from the pricebook) neither count for nor against a match, so "How much is Pro?" is never
 * taken for an entry that merely mentions Pro; but an entry about one plan does not answer a
 * question about another.
 */
export function findFaq(tenantId: string, faq: Faq, message: string, planWords: ReadonlySet<string> = new Set()): (FaqEntry & { confidence: number }) | null {
  const said = new Set(terms(message));
  const asked = [...said].filter((w) => !planWords.has(w)).length;
  if (!asked) return null;
  const plansAsked = [...said].filter((w) => planWords.has(w));
  // The cached index answers "no entries" too: `faq.entries` is read only when the FAQ changed.
  const { index, questionWords } = indexFor.get(tenantId, faq.version, faq);
  if (!index.documentCount) return null;
  let best: (FaqEntry & { confidence: number }) | null = null;
  for (const r of index.search(message).slice(0, CANDIDATES)) {
    const question = questionWords.get(String(r.id)) ?? new Set<string>();
    const plansInQuestion = [...question].filter((w) => planWords.has(w));
    if (plansAsked.length && plansInQuestion.length && !plansAsked.some((w) => question.has(w))) continue;
    const c = confidence(r, asked, question, planWords);
    if (c >= FAQ_MIN_CONFIDENCE && (!best || c > best.confidence)) {
      best = { id: String(r.id), question: String(r.question), answer: String(r.answer), confidence: c };
    }
  }
  return best;
}
