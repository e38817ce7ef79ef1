// The built-in responder's answers from what one business published: its catalog (items,
// options, prices, availability), its contact details and its opening hours in its own time
// zone. Every amount comes from the published catalog; with nothing published, none is said.
import type { CatalogItem } from '../../../shared/schemas/catalog';
import type { ProfileField } from '../../../shared/schemas/chat';
import { WEEKDAYS, type Closure, type Weekday, type WeeklyHours } from '../../../shared/schemas/tenants';
import { DEFAULT_TIME_ZONE, addDays, dayStatus, localTime, nextWeekday, openNow } from './hours';
import { words, type Language } from './language';

/** A business's published offer, as the responder sees it. */
export interface BusinessCatalog {
  version: number | null;
  currency: string;
  items: CatalogItem[];
}

/** What a business says about itself (tenant settings): every field optional. */
export interface BusinessProfile {
  about?: string;
  address?: string;
  phone?: string;
  email?: string;
  website?: string;
  timezone?: string;
  hours?: WeeklyHours | null;
  closures?: Closure[];
}

export type BusinessIntent = 'item' | 'category' | 'catalog' | 'not_listed' | 'contact_hours' | 'location' | 'phone' | 'email' | 'website' | 'about';

export interface BusinessAnswer {
  intent: BusinessIntent;
  text: string;
  /** false: Bob could not answer (an honest "not on our list" counts: two in a row bring in a person). */
  answered: boolean;
  itemIds: string[];
  profile: ProfileField[];
  /** The catalog was read for this answer (its version goes on the receipt). */
  catalogUsed: boolean;
}

const flat = (text: string) => words(text).join(' ');

// Plural and gender endings fold together ("pizzas", "pizze", "pizza" → "pizz"; "consultations" → "consultation").
function stem(word: string): string {
  let w = word;
  if (w.length > 4 && w.endsWith('es') && !w.endsWith('ses')) w = w.slice(0, -2);
  else if (w.length > 3 && w.endsWith('s') && !w.endsWith('ss')) w = w.slice(0, -1);
  if (w.length > 4 && /[aeio]$/.test(w)) w = w.slice(0, -1);
  return w;
}
// Words that say nothing about which item is meant.
const STOP = new Set(
  `a an the of for and or with to in on at by per is are how much does do you have what which any your our some
  il lo la i gli le un uno una di da del della dei delle con per e o che quanto quanta costa costano avete quali quale
  voi vostro vostra price prices cost costs prezzo prezzi`.split(/\s+/),
);
const significant = (text: string) => words(text).filter((w) => w.length > 1 && !STOP.has(w)).map(stem);

const PRICE = /\b(prices?|pricing|costs?|how much|prezz[oi]|costa|costano|quanto (costa|costano|viene|vengono|si paga)|tariff[ae]|fees?|rates?|listino|price list)\b/;
const LIST = /\b(what|which|any|list|menu|offer|sell|serve|have|got|kinds?|types?|che|quali|cosa|elenco|avete|offrite|vendete|proponete|tipi)\b/;
const MENU = /\b(menu|price list|listino|what do you (sell|offer|have|do)|your (services|products|offer)|services|servizi|prodotti|cosa (vendete|offrite|avete|proponete)|che servizi)\b/;
const HOURS_WORDS = /\b(open|opening|opens|close|closes|closing|closed|hours|what time|when are you|aperti|aperto|apre|aprite|apertura|orari|orario|chiude|chiudete|chiusura|chiusi|chiuso|a che ora|quando siete)\b/;
const CLOSE_WORDS = /\b(close|closes|closing|chiude|chiudete|chiusura)\b/;
const NOW = /\b(now|right now|at the moment|currently|adesso|ora|in questo momento|attualmente)\b/;
const TODAY = /\b(today|tonight|oggi|stasera)\b/;
const TOMORROW = /\b(tomorrow|domani)\b/;
const DAY_WORDS: Record<Weekday, RegExp> = {
  mon: /\b(monday|mondays|lunedi)\b/,
  tue: /\b(tuesday|tuesdays|martedi)\b/,
  wed: /\b(wednesday|wednesdays|mercoledi)\b/,
  thu: /\b(thursday|thursdays|giovedi)\b/,
  fri: /\b(friday|fridays|venerdi)\b/,
  sat: /\b(saturday|saturdays|sabato|sabati)\b/,
  sun: /\b(sunday|sundays|domenica|domeniche)\b/,
};
const LOCATION = /\b(where are you|where is (your|the) (office|shop|store|restaurant|studio)|where can i find you|address|located|location|directions|how do i get|find you|dove siete|dove vi trovate|dove si trova|dove e il|indirizzo|sede|come arrivo|come raggiungervi)\b/;
const PHONE = /\b(phone|telephone|call you|ring you|number to call|telefono|telefonare|telefonarvi|chiamarvi|numero di telefono|cellulare)\b/;
const EMAIL = /\b(e ?mail|email address|mail address|indirizzo (e ?mail|di posta)|posta elettronica|scrivervi una mail)\b/;
const WEBSITE = /\b(website|web site|your site|sito( web| internet)?|vostro sito)\b/;
const ABOUT = /\b(what do you do|what does your (business|company|office) do|tell me about (you|your business|your company)|about your (business|company)|di cosa vi occupate|cosa fate|chi siete|parlami di voi)\b/;

interface Phrases {
  item(name: string, price: string, unit: string | null): string;
  onRequest(name: string): string;
  unavailable(name: string): string;
  options(list: string): string;
  category(category: string, list: string, more: number): string;
  categoryEmpty(category: string): string;
  catalog(list: string): string;
  askAbout: string;
  notListed: string;
  nothingPublished: string;
  person: string;
  and: string;
  openNow(until: string): string;
  closedNow: string;
  closedToday(note: string): string;
  opensAgain(day: string, at: string): string;
  closesToday(at: string, ranges: string): string;
  dayOpen(day: string, ranges: string): string;
  dayClosed(day: string, note: string): string;
  week(summary: string): string;
  closedDays: string;
  hours(tenant: string, hours: string): string;
  noHours(tenant: string): string;
  location: (address: string) => string;
  phone: (phone: string) => string;
  email: (email: string) => string;
  website: (url: string) => string;
  unknownField: Record<'address' | 'phone' | 'email' | 'website' | 'about', string>;
  today: string;
  tomorrow: string;
}

const EN: Phrases = {
  item: (name, price, unit) => `${name} costs ${price}${unit ? ` ${unit}` : ''}.`,
  onRequest: (name) => `${name} is priced on request.`,
  unavailable: (name) => `${name} is not available at the moment.`,
  options: (list) => ` Options: ${list}.`,
  category: (category, list, more) => `Here's what we have in ${category}: ${list}${more ? `, and ${more} more` : ''}.`,
  categoryEmpty: (category) => `Nothing in ${category} is available at the moment.`,
  catalog: (list) => `Here's what we offer: ${list}.`,
  askAbout: 'Ask me about any of them for the price.',
  notListed: "I don't see that on our list, so I can't give you a price for it.",
  nothingPublished: "We haven't published our prices here yet, so I can't quote one.",
  person: 'Would you like me to bring in a person from the team?',
  and: 'and',
  openNow: (until) => `Yes, we're open now, until ${until}.`,
  closedNow: "We're closed right now.",
  closedToday: (note) => `We're closed today${note ? ` (${note})` : ''}.`,
  opensAgain: (day, at) => ` We open again ${day} at ${at}.`,
  closesToday: (at, ranges) => `Today we're open ${ranges}: we close at ${at}.`,
  dayOpen: (day, ranges) => `${day} we're open ${ranges}.`,
  dayClosed: (day, note) => `${day} we're closed${note ? ` (${note})` : ''}.`,
  week: (summary) => `Our opening hours: ${summary}.`,
  closedDays: 'closed',
  hours: (tenant, hours) => `${tenant} is available ${hours}.`,
  noHours: (tenant) => `I don't have ${tenant}'s opening hours.`,
  location: (address) => `You'll find us at ${address}.`,
  phone: (phone) => `You can call us on ${phone}.`,
  email: (email) => `You can write to us at ${email}.`,
  website: (url) => `Our website is ${url}.`,
  unknownField: {
    address: "I don't have our address here.",
    phone: "I don't have a phone number to give you here.",
    email: "I don't have an email address to give you here.",
    website: "I don't have a website address to give you here.",
    about: "I don't have a description of the business here.",
  },
  today: 'today',
  tomorrow: 'tomorrow',
};

const IT: Phrases = {
  item: (name, price, unit) => `${name} costa ${price}${unit ? ` ${unit}` : ''}.`,
  onRequest: (name) => `Il prezzo di ${name} è su richiesta.`,
  unavailable: (name) => `${name} al momento non è disponibile.`,
  options: (list) => ` Opzioni: ${list}.`,
  category: (category, list, more) => `Ecco cosa abbiamo in ${category}: ${list}${more ? ` e altri ${more}` : ''}.`,
  categoryEmpty: (category) => `Al momento non c'è niente disponibile in ${category}.`,
  catalog: (list) => `Ecco cosa offriamo: ${list}.`,
  askAbout: 'Chiedimi pure il prezzo di ognuno.',
  notListed: 'Non lo trovo nel nostro listino, quindi non posso darti un prezzo.',
  nothingPublished: 'Non abbiamo ancora pubblicato i nostri prezzi qui, quindi non posso indicartene uno.',
  person: 'Vuoi che chiami una persona del team?',
  and: 'e',
  openNow: (until) => `Sì, siamo aperti adesso, fino alle ${until}.`,
  closedNow: 'In questo momento siamo chiusi.',
  closedToday: (note) => `Oggi siamo chiusi${note ? ` (${note})` : ''}.`,
  opensAgain: (day, at) => ` Riapriamo ${day} alle ${at}.`,
  closesToday: (at, ranges) => `Oggi siamo aperti ${ranges}: chiudiamo alle ${at}.`,
  dayOpen: (day, ranges) => `${day} siamo aperti ${ranges}.`,
  dayClosed: (day, note) => `${day} siamo chiusi${note ? ` (${note})` : ''}.`,
  week: (summary) => `I nostri orari: ${summary}.`,
  closedDays: 'chiuso',
  hours: (tenant, hours) => `Orari di ${tenant}: ${hours}.`,
  noHours: (tenant) => `Non ho gli orari di ${tenant}.`,
  location: (address) => `Ci trovi in ${address}.`,
  phone: (phone) => `Puoi chiamarci al ${phone}.`,
  email: (email) => `Puoi scriverci a ${email}.`,
  website: (url) => `Il nostro sito è ${url}.`,
  unknownField: {
    address: 'Non ho qui il nostro indirizzo.',
    phone: 'Non ho qui un numero di telefono da darti.',
    email: 'Non ho qui un indirizzo email da darti.',
    website: 'Non ho qui l’indirizzo del nostro sito.',
    about: "Non ho qui una descrizione dell'attività.",
  },
  today: 'oggi',
  tomorrow: 'domani',
};

const PHRASES: Record<Language, Phrases> = { en: EN, it: IT };
const LOCALE: Record<Language, string> = { en: 'en-GB', it: 'it-IT' };

const joinList = (items: string[], and: string) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`);

// One formatter per language and pattern (they are costly to build).
const formatters = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat>();
function cached<T extends Intl.DateTimeFormat | Intl.NumberFormat>(key: string, make: () => T): T {
  let f = formatters.get(key) as T | undefined;
  if (!f) formatters.set(key, (f = make()));
  return f;
}

/** A catalog amount as Bob writes it: always with cents (`€8.50`, `8,50 €`), so it reads as a price list. */
export function catalogMoney(amount: number, currency: string, lang: Language): string {
  return cached(`money|${lang}|${currency}`, () => new Intl.NumberFormat(lang === 'it' ? 'it-IT' : 'en-US', { style: 'currency', currency, currencyDisplay: 'narrowSymbol' })).format(amount);
}

/** "Friday 25 December" / "venerdì 25 dicembre" for a local date (YYYY-MM-DD). */
function dayName(date: string, lang: Language): string {
  return cached(`day|${lang}`, () => new Intl.DateTimeFormat(LOCALE[lang], { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'UTC' })).format(new Date(`${date}T12:00:00Z`));
}
function weekdayName(day: Weekday, lang: Language): string {
  // 2024-01-01 was a Monday.
  const date = `2024-01-0${WEEKDAYS.indexOf(day) + 1}`;
  return cached(`weekday|${lang}`, () => new Intl.DateTimeFormat(LOCALE[lang], { weekday: 'long', timeZone: 'UTC' })).format(new Date(`${date}T12:00:00Z`));
}
const shortWeekday = (day: Weekday, lang: Language) =>
  cached(`short|${lang}`, () => new Intl.DateTimeFormat(LOCALE[lang], { weekday: 'short', timeZone: 'UTC' })).format(new Date(`2024-01-0${WEEKDAYS.indexOf(day) + 1}T12:00:00Z`));
const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
const rangesText = (ranges: [string, string][], lang: Language) => joinList(ranges.map(([a, b]) => `${a}–${b}`), PHRASES[lang].and);

/** "Mon–Fri 09:00–13:00 and 14:00–18:00; Sat–Sun closed": consecutive days with the same hours go together. */
export function weekSummary(hours: WeeklyHours, lang: Language): string {
  const say = PHRASES[lang];
  const groups: { from: Weekday; to: Weekday; key: string }[] = [];
  for (const day of WEEKDAYS) {
    const key = JSON.stringify(hours[day]);
    const last = groups[groups.length - 1];
    if (last && last.key === key) last.to = day;
    else groups.push({ from: day, to: day, key });
  }
  return groups
    .map((g) => {
      const days = g.from === g.to ? shortWeekday(g.from, lang) : `${shortWeekday(g.from, lang)}–${shortWeekday(g.to, lang)}`;
      const ranges = hours[g.from];
      return `${capital(days)} ${ranges.length ? rangesText(ranges, lang) : say.closedDays}`;
    })
    .join('; ');
}

/** The items a model is shown for a message: those sharing words with it first, then the rest, at most `max`. */
export function relevantItems(message: string, items: CatalogItem[], max: number): CatalogItem[] {
  const said = new Set(significant(message));
  const scored = items.map((item, i) => ({ item, i, score: significant(`${item.name} ${item.category ?? ''}`).filter((w) => said.has(w)).length }));
  return scored.sort((a, b) => b.score - a.score || a.i - b.i).slice(0, max).map((s) => s.item);
}

/** The items the message names: every significant word of the item's name said (plurals folded). */
function namedItems(said: Set<string>, items: CatalogItem[]): CatalogItem[] {
  const scored = items
    .map((item) => {
      const name = significant(item.name);
      const hits = name.filter((w) => said.has(w)).length;
      return { item, score: name.length ? hits / name.length : 0, hits };
    })
    .filter((s) => s.score >= 1 || (s.hits >= 2 && s.score >= 0.6));
  const best = Math.max(0, ...scored.map((s) => s.hits));
  return scored.filter((s) => s.hits === best).map((s) => s.item);
}

function namedCategory(said: Set<string>, items: CatalogItem[]): string | null {
  const categories = [...new Set(items.flatMap((i) => (i.category ? [i.category] : [])))];
  return categories.find((c) => {
    const w = significant(c);
    return w.length > 0 && w.every((x) => said.has(x));
  }) ?? null;
}

export interface BusinessInput {
  message: string;
  language: Language;
  tenantName: string;
  profile: BusinessProfile;
  /** The free-text office hours of older settings, used when no weekly hours are set. */
  officeHours: string;
  now: Date;
}

type Answer = (intent: BusinessIntent, text: string, extra?: Partial<BusinessAnswer>) => BusinessAnswer;
const answer: Answer = (intent, text, extra = {}) => ({ intent, text, answered: true, itemIds: [], profile: [], catalogUsed: false, ...extra });

/** Hours, address, phone, email, website or what the business does, from its profile; null when not asked. */
export function answerFromProfile(input: BusinessInput): BusinessAnswer | null {
  const say = PHRASES[input.language];
  const t = flat(input.message);
  const p = input.profile;
  const field = (name: 'address' | 'phone' | 'email' | 'website' | 'about', intent: BusinessIntent, phrase: (v: string) => string) => {
    const value = p[name]?.trim();
    return value ? answer(intent, phrase(value), { profile: [name] }) : answer(intent, `${say.unknownField[name]} ${say.person}`, { answered: false });
  };

  if (HOURS_WORDS.test(t) || (NOW.test(t) && /\b(open|aperti|aperto)\b/.test(t))) return hoursAnswer(input, t);
  if (LOCATION.test(t)) return field('address', 'location', say.location);
  if (PHONE.test(t)) return field('phone', 'phone', say.phone);
  if (EMAIL.test(t)) return field('email', 'email', say.email);
  if (ABOUT.test(t)) return field('about', 'about', (v) => v);
  if (WEBSITE.test(t)) return field('website', 'website', say.website);
  return null;
}

/** Prices, items, categories and the offer, from the business's published catalog; null when not asked. */
export function answerFromCatalog(input: { message: string; language: Language; catalog: BusinessCatalog | null }): BusinessAnswer | null {
  const lang = input.language;
  const say = PHRASES[lang];
  const t = flat(input.message);
  const catalog = input.catalog;
  const asksPrice = PRICE.test(t);
  const items = catalog?.items ?? [];
  const said = new Set(significant(input.message));
  const money = (n: number) => catalogMoney(n, catalog!.currency, lang);

  const named = namedItems(said, items);
  if (named.length === 1) {
    const item = named[0]!;
    const used = { itemIds: [item.id], catalogUsed: true };
    if (!item.available) return answer('item', `${say.unavailable(item.name)} ${say.person}`, { ...used, answered: false });
    if (item.price === null && !item.options.length) return answer('item', `${say.onRequest(item.name)} ${say.person}`, used);
    const base = item.price === null ? say.onRequest(item.name) : say.item(item.name, money(item.price), item.unit);
    const options = item.options.length ? say.options(joinList(item.options.map((o) => `${o.name} ${money(o.price)}`), say.and)) : '';
    return answer('item', base + options, used);
  }

  const category = namedCategory(said, items) ?? (named.length > 1 ? named[0]!.category : null);
  if (category && (named.length > 1 || LIST.test(t) || asksPrice)) {
    const inCategory = items.filter((i) => i.category === category && i.available);
    if (!inCategory.length) return answer('category', `${say.categoryEmpty(category)} ${say.person}`, { catalogUsed: true, answered: false });
    const shown = inCategory.slice(0, 8);
    const list = shown.map((i) => (i.price === null ? i.name : `${i.name} (${money(i.price)})`));
    return answer('category', say.category(category, list.join(', '), inCategory.length - shown.length), { itemIds: shown.map((i) => i.id), catalogUsed: true });
  }

  if (MENU.test(t) || (asksPrice && !said.size)) {
    if (!catalog?.version || !items.some((i) => i.available)) return answer('not_listed', `${say.nothingPublished} ${say.person}`, { answered: false, catalogUsed: !!catalog?.version });
    const available = items.filter((i) => i.available);
    const byCategory = new Map<string, string[]>();
    for (const i of available) byCategory.set(i.category ?? '', [...(byCategory.get(i.category ?? '') ?? []), i.name]);
    const groups = [...byCategory.entries()].map(([c, names]) => {
      const shown = joinList(names.slice(0, 4), say.and);
      return c ? `${c} (${shown})` : shown;
    });
    return answer('catalog', `${say.catalog(groups.join('; '))} ${say.askAbout}`, { catalogUsed: true });
  }

  // Any other price question: what is not published is not quoted.
  if (asksPrice) {
    const text = catalog?.version ? say.notListed : say.nothingPublished;
    return answer('not_listed', `${text} ${say.person}`, { answered: false, catalogUsed: !!catalog?.version });
  }
  return null;
}

function hoursAnswer(input: BusinessInput, t: string): BusinessAnswer {
  const lang = input.language;
  const say = PHRASES[lang];
  const p = input.profile;
  const timezone = p.timezone || DEFAULT_TIME_ZONE;
  if (!p.hours) {
    const legacy = input.officeHours.trim().replace(/[.\s]+$/, '');
    return legacy ? answer('contact_hours', say.hours(input.tenantName, legacy)) : answer('contact_hours', `${say.noHours(input.tenantName)} ${say.person}`, { answered: false });
  }
  const facts = { hours: p.hours, closures: p.closures ?? [], timezone };
  const used = { profile: ['hours', ...(p.closures?.length ? (['closures'] as const) : [])] as ProfileField[] };
  const local = localTime(input.now, timezone);
  const reopening = (next: { date: string; weekday: Weekday; opensAt: string } | undefined) => {
    if (!next) return '';
    const tomorrow = addDays(local.date, 1);
    const day = next.date === local.date ? say.today : next.date === tomorrow ? say.tomorrow : dayName(next.date, lang);
    return say.opensAgain(day, next.opensAt);
  };
  const describeDay = (date: string, label: string) => {
    const status = dayStatus(facts, date);
    if (status.closed) return say.dayClosed(label, status.closure?.note ?? '');
    return say.dayOpen(label, rangesText(status.ranges, lang));
  };

  const askedDay = WEEKDAYS.find((d) => DAY_WORDS[d].test(t));
  if (askedDay) {
    const date = nextWeekday(askedDay, local.date);
    const label = date === local.date ? capital(say.today) : capital(askedDay === local.weekday ? dayName(date, lang) : weekdayName(askedDay, lang));
    return answer('contact_hours', describeDay(date, label), used);
  }
  if (TOMORROW.test(t)) return answer('contact_hours', describeDay(addDays(local.date, 1), capital(say.tomorrow)), used);
  if (CLOSE_WORDS.test(t) && (TODAY.test(t) || !NOW.test(t))) {
    const today = dayStatus(facts, local.date);
    if (today.closed) return answer('contact_hours', say.closedToday(today.closure?.note ?? '') + reopening(openNow(facts, input.now).next), used);
    const last = today.ranges[today.ranges.length - 1]!;
    return answer('contact_hours', say.closesToday(last[1], rangesText(today.ranges, lang)), used);
  }
  if (NOW.test(t) || TODAY.test(t) || /\b(are you open|is it open|siete aperti|e aperto)\b/.test(t)) {
    const now = openNow(facts, input.now);
    if (now.open) return answer('contact_hours', say.openNow(now.closesAt!), used);
    const today = dayStatus(facts, local.date);
    const closedText = today.closure ? say.closedToday(today.closure.note) : say.closedNow;
    return answer('contact_hours', closedText + reopening(now.next), used);
  }
  return answer('contact_hours', say.week(weekSummary(p.hours, lang)), used);
}


/** Item-name words, so the FAQ search neither counts nor penalises them (as plan names for the platform). */
export const catalogWords = (catalog: BusinessCatalog | null) => new Set((catalog?.items ?? []).flatMap((i) => words(i.name)));

