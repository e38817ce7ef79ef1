// The embedded responder: deterministic, offline, Italian and English. Every number it says
// is read from the pricebook passed in at answer time; there is no price literal here.
import MiniSearch from 'minisearch';
import type { Plan, Pricebook } from '../../../shared/schemas/pricebook';

export type Language = 'en' | 'it';
export type Intent =
  | 'greeting' | 'plans_prices' | 'plan' | 'credits' | 'seats' | 'integrations' | 'support'
  | 'compare' | 'handoff' | 'contact_hours' | 'thanks' | 'faq' | 'unknown';

export interface FaqEntry {
  id: string;
  question: string;
  answer: string;
}

export interface ResponderInput {
  tenantId: string;
  message: string;
  persona: { name: string; tone: string };
  pricebook: Pricebook;
  faq: { version: string; entries: FaqEntry[] };
  tenant: { name: string; officeHours: string };
  language?: Language;
}

export interface ResponderOutput {
  text: string;
  language: Language;
  intent: Intent;
  /** false when Bob could not answer (two in a row hand the conversation to a person). */
  answered: boolean;
  handoff: boolean;
  faqId?: string;
  planIds: string[];
}

const normalize = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
const words = (s: string) => normalize(s).match(/[\p{L}\p{N}]+/gu) ?? [];

const IT_MARKERS = new Set('ciao salve buongiorno buonasera grazie quanto quanti quante costa costano prezzo prezzi piano piani crediti posti vorrei voglio parlare operatore persona il lo la le gli che per sono con del della dei delle non come qual quale quali cosa avete orari aperti integrazioni assistenza supporto differenza confronta mese un una e di ha hanno mi ti ci puoi potete'.split(' '));
const EN_MARKERS = new Set('hi hello hey thanks thank please the how much is are what which plan plans price prices pricing cost costs credits seats i want need talk speak to a an of with do does you your can could have has hours open support integrations difference compare month and for'.split(' '));

export function detectLanguage(text: string, fallback: Language = 'en'): Language {
  let it = 0;
  let en = 0;
  for (const w of words(text)) {
    if (IT_MARKERS.has(w)) it++;
    if (EN_MARKERS.has(w)) en++;
  }
  return it > en ? 'it' : en > it ? 'en' : fallback;
}

// Phrases asking for a person. "agent" alone counts, but not "user agent".
const HUMAN = [
  /\boperator[ei]\b/, /\bparlare con (una|un|qualcuno|una persona)\b/, /\bpersona (reale|vera)\b/, /\bessere umano\b/, /\bumano\b/,
  /\bassistenza umana\b/, /\b(un|una) addett[oa]\b/, /\bhuman\b/, /(?<!user )\bagent\b/, /\breal person\b/, /\b(talk|speak|chat) (to|with) (someone|somebody|a person|a human|a real person|an agent|a representative)\b/,
  /\brepresentative\b/, /\bcustomer service\b/, /\bperson please\b/,
];
export function wantsHuman(text: string): boolean {
  const t = normalize(text);
  return HUMAN.some((re) => re.test(t));
}

const TOPICS: Record<'credits' | 'seats' | 'integrations' | 'support' | 'price' | 'plans' | 'compare' | 'greeting' | 'thanks' | 'contact_hours', RegExp> = {
  credits: /\bcredit[oi]?s?\b|\bcrediti\b/,
  seats: /\bseats?\b|\bposti\b|\butenti\b|\bteam members?\b|\bmembri\b|\bhow many (people|users)\b/,
  integrations: /\bintegrations?\b|\bintegrazion[ei]\b/,
  support: /\bsupport\b|\bsupporto\b|\bassistenza\b/,
  price: /\bprices?\b|\bpricing\b|\bcosts?\b|\bhow much\b|\bquanto\b|\bprezz[oi]\b|\bcosta(no)?\b|\btariff[ae]\b|\bfee\b/,
  plans: /\bplans\b|\bpiani\b|\blistino\b|\bpricing\b|\bprezzi\b|\boptions\b|\bofferte\b/,
  compare: /\bcompare\b|\bcomparison\b|\bdifferences?\b|\bvs\.?\b|\bversus\b|\bconfront[oa]\b|\bdifferenz[ae]\b/,
  greeting: /^(hi|hello|hey|good (morning|afternoon|evening)|ciao|salve|buongiorno|buonasera)\b/,
  thanks: /\bthanks?\b|\bthank you\b|\bgrazie\b/,
  contact_hours: /\bhours\b|\bopen(ing)?\b|\borari\b|\baperti\b|\bcontact\b|\bcontatt[oi]\b|\bwhen are you\b/,
};

// Formatters are costly to build and used on every pricing answer: one per language and style.
const formatters = new Map<string, Intl.NumberFormat>();
function formatter(key: string, make: () => Intl.NumberFormat) {
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = make()));
  return f;
}

function fmtMoney(amount: number, currency: string, lang: Language) {
  const digits = Number.isInteger(amount) ? 0 : 2;
  return formatter(`${lang}|${currency}|${digits}`, () =>
    new Intl.NumberFormat(lang === 'it' ? 'it-IT' : 'en-US', { style: 'currency', currency, currencyDisplay: 'narrowSymbol', minimumFractionDigits: digits, maximumFractionDigits: digits }),
  ).format(amount);
}
const fmtCount = (n: number, lang: Language) => formatter(lang, () => new Intl.NumberFormat(lang === 'it' ? 'it-IT' : 'en-US')).format(n);

function namedPlans(text: string, plans: Plan[]): Plan[] {
  const t = ` ${words(text).join(' ')} `;
  return plans.filter((p) => [p.id, p.name].some((n) => t.includes(` ${words(n).join(' ')} `)));
}

type Tone = 'friendly' | 'formal' | 'concise' | 'playful';
const toneOf = (tone: string): Tone => (['formal', 'concise', 'playful'].includes(tone.toLowerCase()) ? (tone.toLowerCase() as Tone) : 'friendly');

/** What a plan includes besides its price. */
function inclusions(p: Plan, lang: Language): string {
  const credits = fmtCount(p.credits_month, lang);
  const seats = p.seats === null ? (lang === 'it' ? 'posti illimitati' : 'unlimited seats') : lang === 'it' ? `${fmtCount(p.seats, lang)} posti nel team` : `${fmtCount(p.seats, lang)} team seats`;
  const integrations = fmtCount(p.integrations, lang);
  return lang === 'it'
    ? `${credits} crediti IA, ${seats}, ${integrations} ${p.integrations === 1 ? 'integrazione' : 'integrazioni'}, supporto ${p.support}`
    : `${credits} AI credits, ${seats}, ${integrations} ${p.integrations === 1 ? 'integration' : 'integrations'}, ${p.support} support`;
}

function describePlan(p: Plan, pb: Pricebook, lang: Language): string {
  const price = fmtMoney(p.price_month, pb.currency, lang);
  return lang === 'it' ? `${p.name}: ${price} al mese, ${inclusions(p, lang)}.` : `${p.name}: ${price}/month, ${inclusions(p, lang)}.`;
}

function topicLine(topic: 'credits' | 'seats' | 'integrations' | 'support' | 'price', p: Plan, pb: Pricebook, lang: Language): string {
  switch (topic) {
    case 'credits':
      return lang === 'it' ? `Il piano ${p.name} include ${fmtCount(p.credits_month, lang)} crediti IA al mese.` : `${p.name} includes ${fmtCount(p.credits_month, lang)} AI credits a month.`;
    case 'seats':
      if (p.seats === null) return lang === 'it' ? `Il piano ${p.name} ha posti illimitati nel team.` : `${p.name} has unlimited team seats.`;
      return lang === 'it' ? `Il piano ${p.name} include fino a ${fmtCount(p.seats, lang)} posti nel team.` : `${p.name} includes up to ${fmtCount(p.seats, lang)} team seats.`;
    case 'integrations':
      return lang === 'it'
        ? `Il piano ${p.name} include ${fmtCount(p.integrations, lang)} ${p.integrations === 1 ? 'integrazione standard' : 'integrazioni standard'}.`
        : `${p.name} includes ${fmtCount(p.integrations, lang)} standard ${p.integrations === 1 ? 'integration' : 'integrations'}.`;
    case 'support':
      return lang === 'it' ? `Il piano ${p.name} ha il supporto ${p.support}.` : `${p.name} comes with ${p.support} support.`;
    case 'price':
      return lang === 'it' ? `Il piano ${p.name} costa ${fmtMoney(p.price_month, pb.currency, lang)} al mese.` : `${p.name} is ${fmtMoney(p.price_month, pb.currency, lang)} a month.`;
  }
}

function wrap(text: string, tone: Tone, lang: Language): string {
  if (tone === 'concise') return text;
  if (tone === 'formal') return `${text} ${lang === 'it' ? 'Resto a Sua disposizione per qualsiasi domanda.' : 'Please let me know if I can help with anything else.'}`;
  if (tone === 'playful') return `${text} ${lang === 'it' ? 'Altre curiosità? Chiedi pure!' : 'Anything else you are curious about? Fire away!'}`;
  return `${text} ${lang === 'it' ? 'Posso aiutarti con altro?' : 'Anything else I can help with?'}`;
}

function greeting(name: string, tone: Tone, lang: Language): string {
  if (lang === 'it') {
    if (tone === 'formal') return `Buongiorno, sono ${name}. Come posso esserLe utile?`;
    if (tone === 'concise') return `Sono ${name}. Come posso aiutare?`;
    if (tone === 'playful') return `Ciao! Sono ${name}, pronto a darti una mano. Cosa ti serve?`;
    return `Ciao! Sono ${name}. Come posso aiutarti oggi?`;
  }
  if (tone === 'formal') return `Good day, I am ${name}. How may I assist you?`;
  if (tone === 'concise') return `${name} here. How can I help?`;
  if (tone === 'playful') return `Hey there! ${name} at your service. What can I do for you?`;
  return `Hi! I'm ${name}. How can I help you today?`;
}

// One FAQ index per tenant, rebuilt when the tenant's FAQ version changes.
const FAQ_CACHE_MAX = 200;
const faqCache = new Map<string, { version: string; index: MiniSearch<FaqEntry> }>();
const STOPWORDS = new Set('a an the is are do does you your i we to of for in on and or it be can could there any what how il lo la le gli un una di da in con per che e o ci c avete voi si'.split(' '));
/**
 * A hit counts when at least half of the question's meaningful words match the entry (MiniSearch
 * ranks with BM25; its raw score depends on the corpus size, so coverage is the steadier gate).
 */
export const FAQ_MIN_COVERAGE = 0.5;

function faqIndex(tenantId: string, faq: ResponderInput['faq']): MiniSearch<FaqEntry> {
  const hit = faqCache.get(tenantId);
  if (hit && hit.version === faq.version) return hit.index;
  const index = new MiniSearch<FaqEntry>({
    fields: ['question', 'answer'],
    storeFields: ['answer'],
    processTerm: (term) => {
      const t = normalize(term);
      return STOPWORDS.has(t) ? null : t;
    },
    searchOptions: { boost: { question: 2 }, fuzzy: 0.2, prefix: true },
  });
  index.addAll(faq.entries);
  if (faqCache.size >= FAQ_CACHE_MAX) faqCache.delete(faqCache.keys().next().value!);
  faqCache.set(tenantId, { version: faq.version, index });
  return index;
}

function searchFaq(input: ResponderInput): { id: string; answer: string } | null {
  if (!input.faq.entries.length) return null;
  const meaningful = new Set(words(input.message).filter((w) => !STOPWORDS.has(w)));
  if (!meaningful.size) return null;
  const [best] = faqIndex(input.tenantId, input.faq).search(input.message);
  if (!best || best.queryTerms.length / meaningful.size < FAQ_MIN_COVERAGE) return null;
  return { id: String(best.id), answer: String(best.answer) };
}

export function respond(input: ResponderInput): ResponderOutput {
  const lang = detectLanguage(input.message, input.language);
  const tone = toneOf(input.persona.tone);
  const pb = input.pricebook;
  const t = normalize(input.message.trim());
  const plans = namedPlans(input.message, pb.plans);
  const out = (intent: Intent, text: string, extra: Partial<ResponderOutput> = {}): ResponderOutput => ({
    text,
    language: lang,
    intent,
    answered: intent !== 'unknown',
    handoff: false,
    planIds: plans.map((p) => p.id),
    ...extra,
  });

  if (wantsHuman(input.message)) return out('handoff', notice('handoff', lang, input.persona.name), { handoff: true });

  const faq = searchFaq(input);
  if (faq) return out('faq', faq.answer, { faqId: faq.id });

  const topic = (['credits', 'seats', 'integrations', 'support'] as const).find((k) => TOPICS[k].test(t));
  if (TOPICS.compare.test(t) || plans.length >= 2) {
    const chosen = plans.length >= 2 ? plans : pb.plans;
    const intro = lang === 'it' ? 'Ecco il confronto:' : "Here's how they compare:";
    return out('compare', wrap(`${intro}\n${chosen.map((p) => describePlan(p, pb, lang)).join('\n')}`, tone, lang));
  }
  if (topic) {
    const chosen = plans.length ? plans : pb.plans;
    return out(topic, wrap(chosen.map((p) => topicLine(topic, p, pb, lang)).join('\n'), tone, lang));
  }
  if (plans.length === 1) {
    const p = plans[0]!;
    const text = TOPICS.price.test(t) ? `${topicLine('price', p, pb, lang)} ${lang === 'it' ? 'Include' : 'It includes'} ${inclusions(p, lang)}.` : describePlan(p, pb, lang);
    return out('plan', wrap(text, tone, lang));
  }
  if (TOPICS.price.test(t) || TOPICS.plans.test(t)) {
    const intro = lang === 'it' ? 'Ecco i nostri piani (prezzi mensili):' : 'Here are our plans (monthly prices):';
    const lines = pb.plans.map((p) => `${p.name}: ${fmtMoney(p.price_month, pb.currency, lang)}`);
    return out('plans_prices', wrap(`${intro}\n${lines.join('\n')}`, tone, lang));
  }
  if (TOPICS.contact_hours.test(t)) {
    const text = lang === 'it' ? `Gli orari di ${input.tenant.name}: ${input.tenant.officeHours}.` : `${input.tenant.name} is open ${input.tenant.officeHours}.`;
    return out('contact_hours', wrap(text, tone, lang));
  }
  if (TOPICS.thanks.test(t)) {
    return out('thanks', lang === 'it' ? (tone === 'formal' ? 'Grazie a Lei, buona giornata.' : 'Figurati! Scrivimi quando vuoi.') : tone === 'formal' ? 'You are most welcome. Have a good day.' : 'You are welcome! Write any time.');
  }
  if (TOPICS.greeting.test(t)) return out('greeting', greeting(input.persona.name, tone, lang));

  return out(
    'unknown',
    lang === 'it'
      ? 'Non ne sono sicuro e preferisco non inventare. Vuoi che chiami una persona del team?'
      : "I'm not sure about that, and I'd rather not guess. Would you like me to bring in a person from the team?",
  );
}

export type Notice = 'handoff' | 'agent_joined' | 'agent_left' | 'closed' | 'credits_exhausted' | 'offline';

/** System messages shown to the visitor. */
export function notice(kind: Notice, lang: Language, personaName: string): string {
  const it: Record<Notice, string> = {
    handoff: 'Sto chiamando una persona del team: ti risponderà qui a breve.',
    credits_exhausted: 'Ti metto in contatto con una persona del team: ti risponderà qui a breve.',
    agent_joined: 'Una persona del team si è unita alla conversazione.',
    agent_left: `La persona del team ha lasciato la conversazione. ${personaName} è di nuovo qui per aiutarti.`,
    closed: 'La conversazione è stata chiusa. Scrivi di nuovo quando vuoi.',
    offline: 'In questo momento non c’è nessuno disponibile. Lascia un messaggio: ti risponderemo appena possibile.',
  };
  const en: Record<Notice, string> = {
    handoff: "I'm bringing in a person from the team. They'll reply here shortly.",
    credits_exhausted: "I'm connecting you with a person from the team. They'll reply here shortly.",
    agent_joined: 'A person from the team has joined the conversation.',
    agent_left: `The team member has left the conversation. ${personaName} is back to help.`,
    closed: 'This conversation was closed. Write again any time.',
    offline: 'Nobody is available right now. Leave a message and we will get back to you as soon as we can.',
  };
  return (lang === 'it' ? it : en)[kind];
}
