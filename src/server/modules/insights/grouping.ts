// Unanswered questions grouped by similar wording (Insights): "Do you deliver to Monza?" and
// "Is delivery available in Monza?" are one thing the business has not told Bob yet.
import type { UnansweredGroup } from '../../../shared/schemas/insights';
import { STOPWORDS } from '../responder/search';
import { words } from '../responder/language';

// Besides the FAQ stopwords: words that ask rather than name a topic, so "Is parking available?"
// and "Is delivery available in Monza?" do not meet on "available".
const EXTRA_STOPWORDS = new Set(
  `available availability possible also just still yet now today tomorrow tonight ok okay yes no not thanks thank
  am im dont cant into up out than then they them their he she his her one all other really very more most
  offer offers provide make go going use using someone anyone something anything
  disponibile disponibili possibile anche ancora gia oggi domani stasera ora adesso fare fate fai fa essere grazie
  si piu molto tutto tutti qualche questo questa quello quella sapete sai potreste vorremmo qualcuno qualcosa`.split(/\s+/),
);

/** Shortest stem a suffix may leave behind; shorter words keep the suffix ("rate", "ate"). */
const MIN_STEM = 4;

// Tried in order, the first that fits wins; then a final vowel goes. English first, then Italian.
const SUFFIXES: [string, string][] = [
  ['eries', 'er'],
  ['ies', 'y'],
  ['ery', 'er'],
  ['ing', ''],
  ['ed', ''],
  ['es', ''],
  ['zioni', ''],
  ['zione', ''],
  ['mente', ''],
  ['iamo', ''],
  ['ando', ''],
  ['endo', ''],
  ['io', ''], // parcheggio / parcheggi
  ...['are', 'ere', 'ire', 'ato', 'ata', 'ati', 'ate', 'ito', 'ita', 'iti', 'ite', 'uto', 'uta', 'uti', 'ute', 'ano', 'ono', 'ete'].map(
    (s): [string, string] => [s, ''],
  ),
];

/**
 * A light, deterministic stemmer for English and Italian: one common suffix off ("delivering",
 * "delivered", "delivery" → "deliver"; "consegnare", "consegnate" → "consegn"), a plain plural
 * "s" off (not "ss", "us", "is"), then a final vowel ("consegna", "consegne" → "consegn";
 * "pizza", "pizze", "pizzas" → "pizz"; "parcheggio", "parcheggi" → "parchegg"). Never leaves fewer than 4 letters.
 */
export function stem(word: string): string {
  let w = word;
  const rule = SUFFIXES.find(([suffix, to]) => w.endsWith(suffix) && w.length - suffix.length + to.length >= MIN_STEM);
  if (rule) w = w.slice(0, w.length - rule[0].length) + rule[1];
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w) && w.length - 1 >= MIN_STEM) w = w.slice(0, -1);
  if (/[aeiou]$/.test(w) && w.length - 1 >= MIN_STEM) w = w.slice(0, -1);
  return w;
}

/** The text two wordings must share to count as the same ("Delivery to Monza?" = "delivery to monza"). */
export const normalizedKey = (text: string) => words(text).join(' ');

/** The stems of a question's content words (no stopwords, no bare numbers). */
export function stems(text: string): Set<string> {
  const out = new Set<string>();
  for (const w of words(text)) {
    if (STOPWORDS.has(w) || EXTRA_STOPWORDS.has(w) || /^\d+$/.test(w) || w.length < 2) continue;
    out.add(stem(w));
  }
  return out;
}

/**
 * Whether two questions ask the same thing: enough shared stems (overlap coefficient
 * |A∩B| / min(|A|,|B|) ≥ 0.5) and at least one shared stem of 4 letters or more, so short
 * words alone never join two questions.
 */
export function similar(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (!a.size || !b.size) return false;
  let shared = 0;
  let long = false;
  for (const s of a) {
    if (!b.has(s)) continue;
    shared++;
    if (s.length >= 4) long = true;
  }
  return long && shared / Math.min(a.size, b.size) >= 0.5;
}

export interface Asked {
  question: string;
  created_at: string;
}

/**
 * Single-link clustering: a question joins every group it is similar to (identical normalised
 * text always does), so A~B and B~C make one group even when A and C share little. Returns the
 * groups as lists of indexes into `items`, in the order of each group's first item.
 */
export function cluster<T extends Asked>(items: readonly T[]): number[][] {
  // Identical wordings first: each distinct normalised text is compared once.
  const keys = new Map<string, number>();
  const keyOf = items.map((it) => {
    const k = normalizedKey(it.question);
    if (!keys.has(k)) keys.set(k, keys.size);
    return keys.get(k)!;
  });
  const texts = [...keys.keys()];
  const stemSets = texts.map((t) => stems(t));

  const parent = texts.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const join = (a: number, b: number) => {
    const [ra, rb] = [root(a), root(b)];
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };

  // Only wordings sharing a long stem can be similar: compare within each stem's list.
  const byStem = new Map<string, number[]>();
  stemSets.forEach((set, i) => {
    for (const s of set) if (s.length >= 4) byStem.set(s, [...(byStem.get(s) ?? []), i]);
  });
  const compared = new Set<number>();
  for (const list of byStem.values()) {
    for (let x = 0; x < list.length; x++) {
      for (let y = x + 1; y < list.length; y++) {
        const [a, b] = [list[x]!, list[y]!];
        const pair = a * texts.length + b;
        if (compared.has(pair)) continue;
        compared.add(pair);
        if (root(a) !== root(b) && similar(stemSets[a]!, stemSets[b]!)) join(a, b);
      }
    }
  }

  const groups = new Map<number, number[]>();
  keyOf.forEach((k, i) => {
    const r = root(k);
    groups.set(r, [...(groups.get(r) ?? []), i]);
  });
  return [...groups.values()];
}

export interface WordingCount {
  text: string;
  count: number;
}

/**
 * A group's distinct wordings, most frequent first (ties: the shorter, then alphabetical). Wordings
 * with the same normalised text are one; it shows the way it was typed most often (ties: first).
 */
export function wordings(questions: readonly string[]): WordingCount[] {
  const byKey = new Map<string, { count: number; forms: Map<string, number> }>();
  for (const q of questions) {
    const k = normalizedKey(q);
    const entry = byKey.get(k) ?? { count: 0, forms: new Map<string, number>() };
    entry.count++;
    const form = q.trim().replace(/\s+/g, ' ');
    entry.forms.set(form, (entry.forms.get(form) ?? 0) + 1);
    byKey.set(k, entry);
  }
  return [...byKey.values()]
    .map(({ count, forms }) => {
      let best = '';
      let n = 0;
      for (const [form, c] of forms) if (c > n) [best, n] = [form, c];
      return { text: best, count };
    })
    .sort((a, b) => b.count - a.count || a.text.length - b.text.length || (a.text < b.text ? -1 : a.text > b.text ? 1 : 0));
}

export interface UnansweredItem extends Asked {
  reason: 'unknown' | 'handoff' | 'fallback';
  conversation_id: string;
  session_id: string;
}

const MAX_WORDINGS = 10;
const MAX_CONVERSATIONS = 20;

/**
 * The report's groups: similar questions together, the most frequent wording as the group's
 * question, most asked first (ties: the most recently asked).
 */
export function groupUnanswered(items: readonly UnansweredItem[]): UnansweredGroup[] {
  return cluster(items)
    .map((idx) => {
      const members = idx.map((i) => items[i]!);
      const ws = wordings(members.map((m) => m.question));
      const times = members.map((m) => m.created_at).sort();
      const reasons = { unknown: 0, handoff: 0, fallback: 0 };
      for (const m of members) reasons[m.reason]++;
      // Each conversation once, by its latest unanswered question, newest first.
      const latest = new Map<string, UnansweredItem>();
      for (const m of members) {
        const seen = latest.get(m.conversation_id);
        if (!seen || m.created_at >= seen.created_at) latest.set(m.conversation_id, m);
      }
      const conversations = [...latest.values()]
        .sort((a, b) => (a.created_at < b.created_at ? 1 : a.created_at > b.created_at ? -1 : 0))
        .slice(0, MAX_CONVERSATIONS)
        .map((m) => ({ id: m.conversation_id, session_id: m.session_id }));
      return {
        question: ws[0]!.text,
        wordings: ws.slice(0, MAX_WORDINGS).map((w) => w.text),
        count: members.length,
        first_seen: times[0]!,
        last_seen: times.at(-1)!,
        reasons,
        conversations,
      };
    })
    .sort((a, b) => b.count - a.count || (a.last_seen < b.last_seen ? 1 : a.last_seen > b.last_seen ? -1 : 0) || (a.question < b.question ? -1 : 1));
}
