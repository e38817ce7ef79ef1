// A model may say any number. Before its answer reaches a visitor, every price and every credit
// count it states must be one the business published (a business's catalog; the platform's
// pricebook on the platform's own site), in its currency.
// Numbers without a money or credit unit (seats, years, phone numbers, "24/7") are not claims
// this guard can check, so they pass.
import type { Pricebook } from '../../../shared/schemas/pricebook';
import type { BusinessCatalog } from './business';

// "79", "79.00", "1,299", "1.299,00", "75k", "15 mila". Separators are told apart in parseNumber.
const NUMBER = /(?<!\p{N})(\d+(?:[.,]\d+)*)(?:([kKM])(?!\p{L})|\s(thousand|million|mila|milion[ei]|mln)(?!\p{L}))?/gu;
const MULTIPLIERS: Record<string, number> = { k: 1e3, thousand: 1e3, mila: 1e3, m: 1e6, million: 1e6, milione: 1e6, milioni: 1e6, mln: 1e6 };

// A currency: a symbol ("$", "US$", "€"), a word ("dollars", "euro") or a three-letter code,
// which is kept only when it is a currency (see CODES) so "the 79" or "ALL 3" stay words.
const MARK = /(?<!\p{L})(?:US|CA|C|AU|A|NZ|HK|S|MX|R)\$|\$|[€£¥₹]|(?<!\p{L})(?:us\s+dollars?|dollars?|dollari|dollaro|bucks|euros?|pounds?|sterlin[ae]|yen|francs?|franchi|[a-z]{3})(?!\p{L})/giu;
/** Words, by the symbol or code they stand for. */
const WORDS: Record<string, string> = {
  dollar: '$', dollars: '$', dollari: '$', dollaro: '$', bucks: '$', 'us dollar': 'USD', 'us dollars': 'USD',
  euro: '€', euros: '€', pound: '£', pounds: '£', sterlina: '£', sterline: '£', yen: '¥', franc: 'CHF', francs: 'CHF', franchi: 'CHF',
};
// Codes a model is likely to write; the pricebook's own is added per check.
const CODES = new Set('USD EUR GBP CHF JPY CNY CAD AUD NZD SEK NOK DKK PLN CZK HUF INR BRL MXN'.split(' '));

// Right after a number: its credit unit ("75,000 credits", "15.000 crediti IA", "1 AI credit",
// "1,5 milioni di crediti", but not "1 credit card"), or a monthly unit ("79 al mese", "79/month").
const CREDITS = /[ \t\u00a0\u202f]*(?:(?:AI|IA|monthly|mensili|extra|di)[ \t\u00a0\u202f]+){0,2}(?:credits?|crediti|credito)(?!\p{L})(?![ \t]*cards?\b)/iuy;
const MONTHLY = /[ \t\u00a0\u202f]*(?:\/[ \t]*(?:month|mo|mth|mese)|(?:per|a|al|each|every|ogni)[ \t\u00a0\u202f]+(?:month|mese)|monthly|mensil[ei])(?!\p{L})/iuy;
// A currency and its number sit together: no more than a couple of spaces, never a line break.
const ATTACHED = /^[ \t\u00a0\u202f]{0,2}$/;
// A bare "249 al mese" is a price when a currency is written this close, on either side.
const NEARBY = 80;

interface Span {
  start: number;
  end: number;
}
interface Num extends Span {
  value: number;
  /** The currencies written against it. */
  marks: Mark[];
}
interface Mark extends Span {
  /** Normalised: "$", "US$", "USD", "€". */
  mark: string;
  /** Words follow their amount ("79 dollars"); symbols and codes go either side. "euro" too: "euro 79,00". */
  suffixOnly: boolean;
}

/** The amounts an answer may state: prices in one currency, and credit counts. */
export interface PriceFacts {
  currency: string;
  prices: number[];
  credits: number[];
}

/** The platform's plans (its own site). */
export const pricebookFacts = (pb: Pricebook): PriceFacts => ({
  currency: pb.currency,
  prices: pb.plans.map((p) => p.price_month),
  credits: [pb.credits_per_ai_reply, ...pb.plans.map((p) => p.credits_month)],
});

/** A business's published catalog: its items' and options' prices; it sells no credits. */
export const catalogFacts = (catalog: BusinessCatalog | null, fallbackCurrency = 'EUR'): PriceFacts => ({
  currency: catalog?.currency ?? fallbackCurrency,
  prices: (catalog?.items ?? []).flatMap((i) => [...(i.price === null ? [] : [i.price]), ...i.options.map((o) => o.price)]),
  credits: [],
});

export function checkPrices(text: string, facts: PriceFacts): { ok: true } | { ok: false; unknown: string[] } {
  const { prices, credits } = facts;
  const currency = marksOf(facts.currency);
  const listed = (values: number[], n: number) => values.some((v) => Math.abs(v - n) < 0.005);
  const isPrice = (n: Num, marks: Mark[]) => listed(prices, n.value) && marks.every((m) => currency.has(m.mark));

  const nums = numbers(text);
  const marks = currencies(text, facts.currency);
  attach(text, nums, marks);

  const unknown = new Set<string>();
  const flag = (...spans: Span[]) => unknown.add(text.slice(Math.min(...spans.map((s) => s.start)), Math.max(...spans.map((s) => s.end))).trim());
  for (const n of nums) {
    if (n.marks.length) {
      if (!isPrice(n, n.marks)) flag(n, ...n.marks);
      continue;
    }
    const credit = unitEnd(CREDITS, text, n.end);
    if (credit !== null) {
      if (!listed(credits, n.value)) flag({ start: n.start, end: credit });
      continue;
    }
    const monthly = unitEnd(MONTHLY, text, n.end);
    if (monthly === null) continue;
    const near = nearest(n, marks);
    if (near && !isPrice(n, [near])) flag({ start: n.start, end: monthly });
  }
  return unknown.size ? { ok: false, unknown: [...unknown] } : { ok: true };
}

/** Where the unit starting at `at` ends, or null when there is none. */
function unitEnd(re: RegExp, text: string, at: number): number | null {
  re.lastIndex = at;
  return re.test(text) ? re.lastIndex : null;
}

function numbers(text: string): Num[] {
  return [...text.matchAll(NUMBER)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    value: parseNumber(m[1]!) * (MULTIPLIERS[(m[2] ?? m[3] ?? '').toLowerCase()] ?? 1),
    marks: [],
  }));
}

/**
 * "1,299.00", "1.299,00", "1,299", "1.299", "79,00", "79.5". With both separators the last is
 * the decimal point. With one kind: repeated, it groups thousands; once, it groups thousands when
 * exactly three digits follow a 1–3 digit whole part that is not 0, and is a decimal point
 * otherwise ("1.29", "79,00", "0.299"). Badly grouped digits are NaN, which matches nothing.
 */
function parseNumber(s: string): number {
  const seps = s.match(/[.,]/g) ?? [];
  if (!seps.length) return Number(s);
  const last = Math.max(s.lastIndexOf('.'), s.lastIndexOf(','));
  const whole = s.slice(0, last);
  const after = s.length - last - 1;
  const decimal = new Set(seps).size === 2 || (seps.length === 1 && !(after === 3 && /^[1-9]\d{0,2}$/.test(whole)));
  const [int, frac] = decimal ? [whole, s.slice(last + 1)] : [s, ''];
  const groups = int.split(/[.,]/);
  if (groups.length > 1 && (groups[0]!.length > 3 || groups.slice(1).some((g) => g.length !== 3))) return NaN;
  return Number(`${groups.join('')}.${frac || 0}`);
}

function currencies(text: string, pricebookCurrency: string): Mark[] {
  const codes = new Set([...CODES, pricebookCurrency.toUpperCase()]);
  const out: Mark[] = [];
  for (const m of text.matchAll(MARK)) {
    const raw = m[0].toLowerCase().replace(/\s+/g, ' ');
    const word = WORDS[raw];
    const mark = word ?? m[0].toUpperCase();
    if (!word && /^[A-Z]{3}$/.test(mark) && !codes.has(mark)) continue;
    out.push({ start: m.index, end: m.index + m[0].length, mark, suffixOnly: !!word && !raw.startsWith('euro') });
  }
  return out;
}

/**
 * Gives each currency to the number it is written against. Between two numbers ("nel 2026 €79",
 * "79 € 249 €") the one without a space wins; a tie goes to the number before, except for "$",
 * which English writes in front.
 */
function attach(text: string, nums: Num[], marks: Mark[]) {
  const gap = (a: Span, b: Span) => (a.end <= b.start && ATTACHED.test(text.slice(a.end, b.start)) ? b.start - a.end : Infinity);
  for (const mark of marks) {
    const before = nums.findLast((n) => n.end <= mark.start);
    const after = mark.suffixOnly ? undefined : nums.find((n) => n.start >= mark.end);
    const b = before ? gap(before, mark) : Infinity;
    const a = after ? gap(mark, after) : Infinity;
    if (b === Infinity && a === Infinity) continue;
    const target = a < b || (a === b && mark.mark.endsWith('$')) ? after! : before!;
    target.marks.push(mark);
  }
}

function nearest(n: Num, marks: Mark[]): Mark | undefined {
  const distance = (m: Mark) => (m.end <= n.start ? n.start - m.end : m.start - n.end);
  return marks.filter((m) => distance(m) <= NEARBY).sort((x, y) => distance(x) - distance(y))[0];
}

// How a currency can be written, from Intl so any ISO code works: USD is "USD", "$" and "US$";
// CAD is "CAD", "CA$" and "$"; EUR is "EUR" and "€".
const written = new Map<string, Set<string>>();
function marksOf(code: string): Set<string> {
  const key = code.toUpperCase();
  let marks = written.get(key);
  if (marks) return marks;
  marks = new Set([key]);
  for (const locale of ['en-US', 'it-IT', 'en-CA']) {
    for (const currencyDisplay of ['symbol', 'narrowSymbol'] as const) {
      try {
        const parts = new Intl.NumberFormat(locale, { style: 'currency', currency: key, currencyDisplay }).formatToParts(1);
        const symbol = parts.find((p) => p.type === 'currency')?.value;
        if (symbol) marks.add(symbol.toUpperCase());
      } catch {
        // Not a well-formed code: only the code itself can match.
      }
    }
  }
  written.set(key, marks);
  return marks;
}
