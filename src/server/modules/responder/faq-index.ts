// Tenant FAQ retrieval: MiniSearch ranks the entries (BM25), then a confidence gate decides
// whether the best one really answers the visitor's question.
import MiniSearch, { type SearchResult } from 'minisearch';
import { words } from './language';

export interface FaqEntry {
  id: string;
  question: string;
  answer: string;
}

export interface Faq {
  /** Changes whenever the tenant's FAQ changes; the cached index is rebuilt then. */
  version: string;
  entries: FaqEntry[];
}

// Words that carry no topic in either language; they neither match nor count against a match.
// "plan" and "how much" are in every pricing question, which the built-in answers cover.
const STOPWORDS = new Set(
  `plan plans piano piani much many quanto quanta quanti quante
  a an the is are was be been do does did you your yours i me my we our us it its this that these those there here to of for in
  on at by with from about and or but if so can could would will should shall may might have has had get any some what which
  who whom how when where why please hi hello hey tell know want like need
  il lo la i gli le un uno una di da in con su per tra fra che e o ma se non mi ti ci vi si ne c l sono sei siamo siete ho
  hai ha abbiamo avete hanno come cosa quale quali quando dove perche chi del dello della dei degli delle al allo alla ai agli
  alle dal dalla nel nella sul sulla vostro vostra vostri vostre mio mia posso potete puoi vorrei voglio sapere ciao`.split(/\s+/),
);
const terms = (text: string) => words(text).filter((w) => !STOPWORDS.has(w));

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
  version: string;
  index: MiniSearch<FaqEntry>;
  /** Entry id → its distinct question words. */
  questionWords: Map<string, Set<string>>;
}
/** One index per tenant, least recently used dropped first. */
const cache = new Map<string, Cached>();

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
  return { version: faq.version, index, questionWords: new Map(entries.map((e) => [e.id, new Set(terms(e.question))])) };
}

function indexFor(tenantId: string, faq: Faq): Cached {
  let hit = cache.get(tenantId);
  cache.delete(tenantId);
  if (!hit || hit.version !== faq.version) hit = build(faq);
  cache.set(tenantId, hit);
  if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value!);
  return hit;
}

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
  if (!faq.entries.length) return null;
  const said = new Set(terms(message));
  const asked = [...said].filter((w) => !planWords.has(w)).length;
  if (!asked) return null;
  const plansAsked = [...said].filter((w) => planWords.has(w));
  const { index, questionWords } = indexFor(tenantId, faq);
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
