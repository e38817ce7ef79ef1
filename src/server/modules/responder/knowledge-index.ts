// A business's documents as the responder sees them: passages, retrieved per business.
// MiniSearch ranks the passages (BM25, the document title boosted), then a confidence gate decides
// whether the best one really answers the visitor's question, and the sentences that do are cut
// out of it as the excerpt Bob quotes.
import MiniSearch, { type SearchResult } from 'minisearch';
import type { DocumentRef } from '../../../shared/schemas/knowledge';
import { asksPrice } from './intents';
import { words } from './language';
import { docTerm, docTerms, tenantCache } from './search';

export interface Passage {
  /** `${documentId}:${seq}` */
  id: string;
  documentId: string;
  title: string;
  text: string;
}

export interface Knowledge {
  /** Changes whenever a document is added, edited, re-fetched or removed (the cached index is rebuilt then). */
  version: string;
  /** Every passage of the business; read only when the cached index is stale (see `cachedPassages`). */
  passages(): Passage[];
}

export type { DocumentRef };

/**
 * When a passage answers: it holds at least this share of the visitor's words (stopwords, and
 * the plan or item names passed in, left out; plurals and endings folded, see search.ts `stem`)…
 * "Do you deliver to Monza?" holds 2 of 2 against "We deliver to Milan, Monza and Sesto", while
 * "Do you deliver to Rome?" (1 of 2) is not answered from it. knowledge-index.test.ts pins both.
 */
export const KNOWLEDGE_MIN_COVERAGE = 0.6;
/**
 * …and at least this many of them: one shared word says little about a passage of a long
 * document. A one-word question ("refunds?") is answered only by a passage whose title holds it.
 */
export const KNOWLEDGE_MIN_WORDS = 2;
/** The model's prompt takes passages holding at least this share of the visitor's words. */
const PROMPT_MIN_COVERAGE = 0.3;
/** The longest excerpt Bob quotes, and how many sentences it takes at most. */
export const EXCERPT_MAX = 450;
const EXCERPT_SENTENCES = 3;
// BM25 order decides which passages are considered; the gate then picks among the first few.
const CANDIDATES = 5;
// An index over thousands of passages is bigger than an FAQ's: fewer tenants are kept.
const CACHE_MAX = 100;

interface Cached {
  index: MiniSearch<Passage>;
  passages: Map<string, Passage>;
  /** What it was built from (the last passage with an id kept). */
  list: Passage[];
}

function build(knowledge: Knowledge): Cached {
  const index = new MiniSearch<Passage>({
    fields: ['title', 'text'],
    tokenize: (text) => words(text),
    processTerm: (term) => docTerm(term),
    searchOptions: {
      boost: { title: 2 },
      // Stems are at most six letters: a typo is one edit on the longest of them, and a prefix
      // on short ones ("tax", "pay") matches too much to mean anything.
      fuzzy: (term) => (term.length >= 6 ? 1 : false),
      prefix: (term) => term.length >= 4,
    },
  });
  // MiniSearch throws on a repeated id; the last passage with an id wins instead.
  const passages = new Map(knowledge.passages().map((p) => [p.id, p]));
  const list = [...passages.values()];
  index.addAll(list);
  return { index, passages, list };
}

/** One index per tenant, least recently used dropped first. */
const indexFor = tenantCache(CACHE_MAX, build);

/**
 * The passages the tenant's index was built from, if the index for this version is still kept:
 * the caller need not read them again (and the index built from them is the same).
 */
export const cachedPassages = (tenantId: string, version: string): Passage[] | undefined => indexFor.cached(tenantId, version)?.list;

export interface PassageMatch {
  passage: Passage;
  /** The share of the visitor's words the passage holds (0–1). */
  confidence: number;
  /** The 1–3 sentences of the passage that answer, in their order, at most EXCERPT_MAX characters. */
  excerpt: string;
}

/** The visitor's distinct words as the index holds them, names left out. */
function askedTerms(message: string, nameWords: ReadonlySet<string>): Set<string> {
  const names = new Set([...nameWords].flatMap((w) => docTerm(w) ?? []));
  return new Set([...docTerms(message)].filter((t) => !names.has(t)));
}

/** The asked words a search result holds (prefix and typo matches count as the word). */
const heldTerms = (r: SearchResult, asked: Set<string>) => new Set(r.queryTerms.filter((t) => asked.has(t)));

/**
 * The passage that answers the message, if one does confidently enough (see
 * KNOWLEDGE_MIN_COVERAGE), with its excerpt. Names (`nameWords`: plan names on the platform,
 * catalog item names for a business) neither count for nor against a match. A price question is
 * never answered from a document: amounts come from the catalog. `allow` drops sentences from
 * the excerpt (the caller's price guard); when nothing that answers is left, there is no match.
 */
export function findPassage(
  tenantId: string,
  knowledge: Knowledge,
  message: string,
  nameWords: ReadonlySet<string> = new Set(),
  options: { allow?: (sentence: string) => boolean } = {},
): PassageMatch | null {
  if (asksPrice(message)) return null;
  const asked = askedTerms(message, nameWords);
  if (!asked.size) return null;
  const { index, passages } = indexFor.get(tenantId, knowledge.version, knowledge);
  let best: PassageMatch | null = null;
  for (const r of index.search(message).slice(0, CANDIDATES)) {
    const held = heldTerms(r, asked);
    const confidence = held.size / asked.size;
    // The title holds an asked word (a document term the asked stem starts, as prefix search finds it).
    const inTitle = Object.entries(r.match).some(([term, fields]) => fields.includes('title') && [...held].some((q) => term.startsWith(q)));
    const enough = held.size >= KNOWLEDGE_MIN_WORDS || (asked.size === 1 && held.size === 1 && inTitle);
    if (confidence < KNOWLEDGE_MIN_COVERAGE || !enough || (best && confidence <= best.confidence)) continue;
    const passage = passages.get(String(r.id));
    if (!passage) continue;
    const excerpt = excerptOf(passage.text, new Set(Object.keys(r.match)), inTitle, options.allow);
    if (excerpt) best = { passage, confidence, excerpt };
  }
  return best;
}

/**
 * The passages for a model's prompt: those holding a fair share of the visitor's words, best
 * first, at most `n`.
 */
export function topPassages(tenantId: string, knowledge: Knowledge, message: string, n = 3): Passage[] {
  const asked = askedTerms(message, new Set());
  if (!asked.size) return [];
  const { index, passages } = indexFor.get(tenantId, knowledge.version, knowledge);
  return index
    .search([...asked].join(' '))
    .filter((r) => heldTerms(r, asked).size / asked.size >= PROMPT_MIN_COVERAGE)
    .slice(0, n)
    .flatMap((r) => passages.get(String(r.id)) ?? []);
}

interface Unit {
  text: string;
  heading: boolean;
}

// Markdown that reads as noise when quoted: emphasis, code marks, link targets.
const plain = (s: string) =>
  s
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/(\*\*|__|`)/g, '')
    .replace(/\s+/g, ' ')
    .trim();
const HEADING = /^#{1,6}\s+/;
const LIST_ITEM = /^(?:[-*•+]|\d{1,3}[.)])\s+/;
// A sentence ends at . ! ? or … followed by a space and a capital, a digit or an opening mark.
const SENTENCE_END = /(?<=[.!?…])\s+(?=[\p{Lu}\p{N}"'«“(])/u;

/**
 * A passage as sentences, headings marked. A heading is a "#" line, or a short capitalised line
 * without a final stop that a capitalised line follows. Lines wrapped inside a sentence (PDF
 * text) join again; a list's items join the line that introduces them, so "We deliver to:" and
 * its items quote as one sentence.
 */
function unitsOf(text: string): Unit[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const blocks: (Unit & { open: boolean })[] = [];
  lines.forEach((line, i) => {
    const last = blocks[blocks.length - 1];
    if (HEADING.test(line)) return blocks.push({ text: plain(line.replace(HEADING, '')), heading: true, open: false });
    if (LIST_ITEM.test(line)) {
      const item = plain(line.replace(LIST_ITEM, '')).replace(/[.;,]$/, '');
      if (last && !last.heading) {
        last.text = `${last.text.replace(/[.;,]$/, '')}${/:$/.test(last.text) ? ' ' : '; '}${item}`;
        last.open = false;
        return;
      }
      return blocks.push({ text: item, heading: false, open: false });
    }
    const text = plain(line);
    const next = lines[i + 1];
    const short = text.split(' ').length <= 8 && !/[.!?…:;,]$/.test(text) && /^[\p{Lu}\p{N}]/u.test(text);
    if (short && !last?.open && next && !LIST_ITEM.test(next) && /^(#|[\p{Lu}\p{N}])/u.test(next)) return blocks.push({ text, heading: true, open: false });
    if (last?.open) last.text = `${last.text} ${text}`;
    else blocks.push({ text, heading: false, open: false });
    blocks[blocks.length - 1]!.open = !/[.!?…:]$/.test(text);
  });
  return blocks.flatMap((b): Unit[] =>
    b.heading
      ? [{ text: b.text, heading: true }]
      : b.text.split(SENTENCE_END).flatMap((s) => (s.trim() ? [{ text: /[.!?…]$/.test(s.trim()) ? s.trim() : `${s.trim()}.`, heading: false }] : [])),
  );
}

/** A sentence cut at a word before `max` characters. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const head = text.slice(0, max - 1);
  const space = head.lastIndexOf(' ');
  return `${(space > max / 2 ? head.slice(0, space) : head).replace(/[\s,;:]+$/, '')}…`;
}

/**
 * The sentences that answer: the one holding most of the matched words, then up to two more
 * that add words it lacks, in the passage's order. A match on the title alone quotes the first
 * sentence. Empty when no allowed sentence holds a matched word (and the title did not match).
 */
export function excerptOf(text: string, matched: ReadonlySet<string>, titleMatched = false, allow: (sentence: string) => boolean = () => true): string {
  const units = unitsOf(text)
    .map((u, i) => ({ ...u, i, terms: new Set([...docTerms(u.text)].filter((t) => matched.has(t))) }))
    .filter((u) => !u.heading && allow(u.text));
  const chosen: typeof units = [];
  const covered = new Set<string>();
  let length = 0;
  while (chosen.length < EXCERPT_SENTENCES) {
    let pick: (typeof units)[number] | undefined;
    let gain = 0;
    for (const u of units) {
      if (chosen.includes(u) || (chosen.length && length + 1 + u.text.length > EXCERPT_MAX)) continue;
      const adds = [...u.terms].filter((t) => !covered.has(t)).length;
      if (adds > gain) [pick, gain] = [u, adds];
    }
    if (!pick) break;
    chosen.push(pick);
    pick.terms.forEach((t) => covered.add(t));
    length += (chosen.length > 1 ? 1 : 0) + pick.text.length;
  }
  if (!chosen.length && titleMatched && units[0]) chosen.push(units[0]);
  if (!chosen.length) return '';
  return cut(chosen.sort((a, b) => a.i - b.i).map((u) => u.text).join(' '), EXCERPT_MAX);
}
