// The embedded responder: deterministic, offline, Italian and English. Every number it says
// is read from the pricebook passed in at answer time; there is no price or quantity here.
import type { ProfileField } from '../../../shared/schemas/chat';
import type { Plan, Pricebook } from '../../../shared/schemas/pricebook';
import { answerFromCatalog, answerFromProfile, catalogWords, type BusinessCatalog, type BusinessProfile } from './business';
import { findFaq, type Faq } from './faq-index';
import { findPassage, type DocumentRef, type Knowledge } from './knowledge-index';
import { classify, wantsHuman, type Intent, type Topic } from './intents';
import { detectLanguage, words, type Language } from './language';
import { catalogFacts, checkPrices, pricebookFacts } from './price-guard';

export { detectLanguage, wantsHuman };
export type { FaqEntry } from './faq-index';
export type { Intent, Language };

export interface ResponderInput {
  tenantId: string;
  message: string;
  /** tone: commonly friendly, formal, concise or playful; any other tone reads as friendly. */
  persona: { name: string; tone: string; systemPrompt?: string };
  /** The platform's plans: what the platform's own site sells, and what sets every business's credits. */
  pricebook: Pricebook;
  /**
   * A business's own published catalog (every tenant but the platform). When set, Bob quotes
   * only from it, never from the platform's plans; null when the business has published nothing.
   */
  catalog?: BusinessCatalog | null;
  /** What the business says about itself: contact details and weekly hours in its time zone. */
  profile?: BusinessProfile;
  /** "Now" for hours questions (the server's clock; answered in the business's time zone). */
  now?: Date;
  faq: Faq;
  /** The business's documents (knowledge), split into passages. */
  knowledge?: Knowledge;
  tenant: { name: string; officeHours: string };
  /** The page's language: used when the message itself does not say. */
  language?: Language;
  /** The conversation before this message, oldest first (read only by a model, outside the transaction). */
  history?: () => Promise<{ author: string; body: string }[]>;
  /** Set when the caller streams: receives the answer's text as it is written. */
  onToken?: (text: string) => void;
}

export interface ResponderOutput {
  text: string;
  language: Language;
  intent: Intent;
  /** false when Bob could not answer (two in a row hand the conversation to a person). */
  answered: boolean;
  handoff: boolean;
  faqId?: string;
  /** The plans whose figures the answer quotes. */
  planIds: string[];
  /** The catalog items the answer quotes. */
  itemIds?: string[];
  /** The profile fields the answer used. */
  profile?: ProfileField[];
  /** The business's catalog was read for this answer (its version goes on the receipt). */
  catalogUsed?: boolean;
  /** The knowledge documents the answer quotes (named in its text as "(from: Title)"). */
  documents?: DocumentRef[];
  /** Who wrote it: the built-in responder, the model, or the built-in after the model failed. */
  source?: 'builtin' | 'model' | 'fallback';
}

export type Notice = 'handoff' | 'unanswered' | 'agent_joined' | 'agent_left' | 'closed' | 'credits_exhausted' | 'offline';

type Tone = 'friendly' | 'formal' | 'concise' | 'playful';
const TONES: readonly Tone[] = ['friendly', 'formal', 'concise', 'playful'];
const toneOf = (tone: string): Tone => TONES.find((t) => t === tone.trim().toLowerCase()) ?? 'friendly';

// Formatters are costly to build and used on every pricing answer: one per language and style.
const formatters = new Map<string, Intl.NumberFormat>();
const locale = (lang: Language) => (lang === 'it' ? 'it-IT' : 'en-US');
function format(key: string, lang: Language, options: Intl.NumberFormatOptions, n: number): string {
  let f = formatters.get(`${lang}|${key}`);
  if (!f) formatters.set(`${lang}|${key}`, (f = new Intl.NumberFormat(locale(lang), options)));
  return f.format(n);
}
/** A price as Bob writes it (no decimals for whole amounts); shared with the model's prompt. */
export function money(amount: number, currency: string, lang: Language): string {
  const digits = Number.isInteger(amount) ? 0 : 2;
  return format(`${currency}|${digits}`, lang, { style: 'currency', currency, currencyDisplay: 'narrowSymbol', minimumFractionDigits: digits, maximumFractionDigits: digits }, amount);
}
export const count = (n: number, lang: Language) => format('count', lang, {}, n);

/** Everything Bob says, per language. Numbers arrive formatted; `one` picks the singular. */
interface Phrases {
  list(items: string[]): string;
  credits(n: string, one: boolean): string;
  seats(n: string | null, one: boolean): string;
  integrations(n: string, one: boolean): string;
  support(level: string): string;
  plan(name: string, price: string, includes: string): string;
  planLine(name: string, price: string, includes: string): string;
  priceLine(name: string, price: string): string;
  plansIntro: string;
  compareIntro: string;
  /** One plan's value for a topic, as a sentence. */
  topic(topic: Topic, name: string, value: string): string;
  perReply(n: string, one: boolean): string;
  hours(tenant: string, hours: string): string;
  noHours(tenant: string): string;
  closer: Record<Tone, string>;
  greeting: Record<Tone, (name: string) => string>;
  intro: Record<Tone, (name: string, tenant: string) => string>;
  /** What a business's Bob can help with, in place of "plans and prices". */
  introBusiness: Record<Tone, (name: string, tenant: string) => string>;
  thanks: Record<Tone, string>;
  unknown: Record<Tone, string>;
  notice: Record<Notice, (name: string) => string>;
  /** Names the document an answer quotes, after it. */
  from(title: string): string;
}

const joinList = (and: string) => (items: string[]) =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;

const EN: Phrases = {
  list: joinList('and'),
  from: (title) => `(from: ${title})`,
  credits: (n, one) => `${n} AI ${one ? 'credit' : 'credits'}`,
  seats: (n, one) => (n === null ? 'unlimited team seats' : `${n} team ${one ? 'seat' : 'seats'}`),
  integrations: (n, one) => `${n} ${one ? 'integration' : 'integrations'}`,
  support: (level) => `${level} support`,
  plan: (name, price, includes) => `${name} is ${price} a month and includes ${includes}.`,
  planLine: (name, price, includes) => `${name}: ${price}/month, ${includes}.`,
  priceLine: (name, price) => `${name}: ${price}/month`,
  plansIntro: 'Here are our plans:',
  compareIntro: "Here's how the plans compare:",
  topic: (topic, name, v) => (topic === 'support' ? `${name} comes with ${v}.` : `${name} includes ${v}${topic === 'credits' ? ' a month' : ''}.`),
  perReply: (n, one) => `Each AI reply uses ${n} ${one ? 'credit' : 'credits'}.`,
  hours: (tenant, hours) => `${tenant} is available ${hours}.`,
  noHours: (tenant) => `I don't have ${tenant}'s opening hours. Would you like me to bring in a person from the team?`,
  closer: {
    friendly: 'Anything else I can help with?',
    formal: 'Please let me know if I can help with anything else.',
    concise: '',
    playful: "Anything else you're curious about? Fire away!",
  },
  greeting: {
    friendly: (name) => `Hi! I'm ${name}. How can I help you today?`,
    formal: (name) => `Good day, I am ${name}. How may I assist you?`,
    concise: (name) => `${name} here. How can I help?`,
    playful: (name) => `Hey there! ${name} here, ready when you are. What can I do for you?`,
  },
  intro: {
    friendly: (name, tenant) => `I'm ${name}, the virtual assistant for ${tenant}. I can answer questions about our plans and prices, or bring in a person from the team.`,
    formal: (name, tenant) => `I am ${name}, the virtual assistant for ${tenant}. I can answer questions about our plans and prices, or bring in a member of the team.`,
    concise: (name, tenant) => `${name}, ${tenant}'s virtual assistant: plans, prices, or a person from the team.`,
    playful: (name, tenant) => `I'm ${name}, ${tenant}'s virtual assistant! Ask me anything about plans and prices, or I can bring in a person from the team.`,
  },
  introBusiness: {
    friendly: (name, tenant) => `I'm ${name}, the virtual assistant for ${tenant}. I can tell you about our prices, opening hours and where to find us, or bring in a person from the team.`,
    formal: (name, tenant) => `I am ${name}, the virtual assistant for ${tenant}. I can tell you about our prices, opening hours and where to find us, or bring in a member of the team.`,
    concise: (name, tenant) => `${name}, ${tenant}'s virtual assistant: prices, hours, directions, or a person from the team.`,
    playful: (name, tenant) => `I'm ${name}, ${tenant}'s virtual assistant! Ask me about prices, opening hours or how to find us, or I can bring in a person from the team.`,
  },
  thanks: {
    friendly: "You're welcome! Write any time.",
    formal: 'You are most welcome. Have a good day.',
    concise: "You're welcome.",
    playful: 'Anytime! It was a pleasure.',
  },
  unknown: {
    friendly: "I'm not sure about that, and I'd rather not guess. Would you like me to bring in a person from the team?",
    formal: "I'm afraid I don't have that information. Would you like me to bring in a member of the team?",
    concise: "I don't know that. Shall I bring in a person from the team?",
    playful: "Hmm, that one's beyond me, and I'd rather not make things up! Want me to bring in a person from the team?",
  },
  notice: {
    handoff: () => "I'm bringing in a person from the team. They'll reply here shortly.",
    unanswered: () => "I can't answer that either, so I'm bringing in a person from the team: they'll reply here shortly.",
    credits_exhausted: () => "A person from the team will reply to you here shortly.",
    agent_joined: () => 'A person from the team has joined the conversation.',
    agent_left: (name) => `The team member has left the conversation. ${name} is back to help.`,
    closed: () => 'This conversation is closed. Write again any time.',
    offline: () => 'Nobody from the team is available right now. Leave a message and we will get back to you as soon as we can.',
  },
};

const IT: Phrases = {
  from: (title) => `(fonte: ${title})`,
  list: joinList('e'),
  credits: (n, one) => `${n} ${one ? 'credito IA' : 'crediti IA'}`,
  seats: (n, one) => (n === null ? 'posti illimitati nel team' : `${n} ${one ? 'posto' : 'posti'} nel team`),
  integrations: (n, one) => `${n} ${one ? 'integrazione' : 'integrazioni'}`,
  support: (level) => `supporto ${level}`,
  plan: (name, price, includes) => `Il piano ${name} costa ${price} al mese e include ${includes}.`,
  planLine: (name, price, includes) => `${name}: ${price} al mese, ${includes}.`,
  priceLine: (name, price) => `${name}: ${price} al mese`,
  plansIntro: 'Ecco i nostri piani:',
  compareIntro: 'Ecco il confronto tra i piani:',
  topic: (topic, name, v) => `Il piano ${name} include ${topic === 'support' ? 'il ' : ''}${v}${topic === 'credits' ? ' al mese' : ''}.`,
  perReply: (n, one) => `Ogni risposta dell'IA consuma ${n} ${one ? 'credito' : 'crediti'}.`,
  hours: (tenant, hours) => `Orari di ${tenant}: ${hours}.`,
  noHours: (tenant) => `Non ho gli orari di ${tenant}. Vuoi che chiami una persona del team?`,
  closer: {
    friendly: 'Posso aiutarti con altro?',
    formal: 'Resto a Sua disposizione per qualsiasi altra domanda.',
    concise: '',
    playful: 'Altre curiosità? Chiedi pure!',
  },
  greeting: {
    friendly: (name) => `Ciao! Sono ${name}. Come posso aiutarti oggi?`,
    formal: (name) => `Buongiorno, sono ${name}. Come posso esserLe utile?`,
    concise: (name) => `Sono ${name}. Come posso aiutarti?`,
    playful: (name) => `Ehilà! Sono ${name}, qui per darti una mano. Cosa ti serve?`,
  },
  intro: {
    friendly: (name, tenant) => `Sono ${name}, l'assistente virtuale di ${tenant}. Posso rispondere alle domande su piani e prezzi, o chiamare una persona del team.`,
    formal: (name, tenant) => `Sono ${name}, l'assistente virtuale di ${tenant}. Posso rispondere alle Sue domande su piani e prezzi, o chiamare una persona del team.`,
    concise: (name, tenant) => `Sono ${name}, l'assistente virtuale di ${tenant}: piani, prezzi, o una persona del team.`,
    playful: (name, tenant) => `Sono ${name}, l'assistente virtuale di ${tenant}! Chiedimi tutto su piani e prezzi, oppure chiamo una persona del team.`,
  },
  introBusiness: {
    friendly: (name, tenant) => `Sono ${name}, l'assistente virtuale di ${tenant}. Posso dirti prezzi, orari e dove trovarci, o chiamare una persona del team.`,
    formal: (name, tenant) => `Sono ${name}, l'assistente virtuale di ${tenant}. Posso indicarLe prezzi, orari e dove trovarci, o chiamare una persona del team.`,
    concise: (name, tenant) => `Sono ${name}, l'assistente virtuale di ${tenant}: prezzi, orari, indicazioni, o una persona del team.`,
    playful: (name, tenant) => `Sono ${name}, l'assistente virtuale di ${tenant}! Chiedimi prezzi, orari o come trovarci, oppure chiamo una persona del team.`,
  },
  thanks: {
    friendly: 'Figurati! Scrivimi quando vuoi.',
    formal: 'Grazie a Lei, buona giornata.',
    concise: 'Prego.',
    playful: 'Figurati, è stato un piacere!',
  },
  unknown: {
    friendly: 'Non ho questa informazione e preferisco non tirare a indovinare. Vuoi che chiami una persona del team?',
    formal: 'Purtroppo non dispongo di questa informazione. Desidera che chiami una persona del team?',
    concise: 'Non lo so. Vuoi che chiami una persona del team?',
    playful: 'Questa non la so, e non voglio inventare! Vuoi che chiami una persona del team?',
  },
  notice: {
    handoff: () => 'Sto chiamando una persona del team: ti risponderà qui a breve.',
    unanswered: () => 'Non so rispondere nemmeno a questo, quindi chiamo una persona del team: ti risponderà qui a breve.',
    credits_exhausted: () => 'Una persona del team ti risponderà qui a breve.',
    agent_joined: () => 'Una persona del team si è unita alla conversazione.',
    agent_left: (name) => `La persona del team ha lasciato la conversazione. ${name} è di nuovo qui per aiutarti.`,
    closed: () => 'Questa conversazione è chiusa. Scrivi di nuovo quando vuoi.',
    offline: () => 'In questo momento non c’è nessuno del team disponibile. Lascia un messaggio: ti risponderemo appena possibile.',
  },
};

const PHRASES: Record<Language, Phrases> = { en: EN, it: IT };

/** System messages shown to the visitor. */
export function notice(kind: Notice, language: Language, personaName: string): string {
  return PHRASES[language].notice[kind](personaName);
}

export function respond(input: ResponderInput): ResponderOutput {
  const lang = detectLanguage(input.message, input.language);
  const say = PHRASES[lang];
  const tone = toneOf(input.persona.tone);
  const pb = input.pricebook;
  const out = (intent: Intent, text: string, extra: Partial<ResponderOutput> = {}): ResponderOutput => ({
    text,
    language: lang,
    intent,
    answered: true,
    handoff: false,
    planIds: [],
    ...extra,
  });
  // After a list the closer goes on its own line.
  const withCloser = (text: string) => [text, say.closer[tone]].filter(Boolean).join(text.includes('\n') ? '\n' : ' ');
  const price = (p: Plan) => money(p.price_month, pb.currency, lang);
  const value: Record<Topic, (p: Plan) => string> = {
    credits: (p) => say.credits(count(p.credits_month, lang), p.credits_month === 1),
    seats: (p) => say.seats(p.seats === null ? null : count(p.seats, lang), p.seats === 1),
    integrations: (p) => say.integrations(count(p.integrations, lang), p.integrations === 1),
    support: (p) => say.support(p.support),
  };
  const includes = (p: Plan) => say.list((['credits', 'seats', 'integrations', 'support'] as const).map((k) => value[k](p)));
  const quoting = (intent: Intent, plans: Plan[], text: string) => out(intent, withCloser(text), { planIds: plans.map((p) => p.id) });

  if (wantsHuman(input.message)) return out('handoff', notice('handoff', lang, input.persona.name), { handoff: true });

  // A business answers from its own catalog; the platform's own site from its plans.
  const business = input.catalog !== undefined;
  const nameWords = business ? catalogWords(input.catalog ?? null) : new Set(pb.plans.flatMap((p) => [...words(p.id), ...words(p.name)]));
  const faq = findFaq(input.tenantId, input.faq, input.message, nameWords);
  if (faq) return out('faq', faq.answer, { faqId: faq.id });

  const fromBusiness =
    answerFromProfile({ message: input.message, language: lang, tenantName: input.tenant.name, profile: input.profile ?? {}, officeHours: input.tenant.officeHours, now: input.now ?? new Date() }) ??
    (business ? answerFromCatalog({ message: input.message, language: lang, catalog: input.catalog ?? null }) : null);
  if (fromBusiness) {
    const { intent, text, answered, itemIds, profile, catalogUsed } = fromBusiness;
    return out(intent, answered ? withCloser(text) : text, { answered, itemIds, profile, catalogUsed });
  }

  const c = classify(input.message, business ? [] : pb.plans, input.persona.name);
  // The business's documents, unless the message is a greeting or thanks, or (the platform's own
  // site) about its plans, which the pricebook answers.
  const planIntent = c.intent === 'compare' || c.intent === 'plans_prices' || c.intent === 'plan' || c.intent === 'credits' || c.intent === 'seats' || c.intent === 'integrations' || c.intent === 'support';
  if (input.knowledge && c.intent !== 'greeting' && c.intent !== 'thanks' && (business || !planIntent)) {
    // Never a number the business did not publish: a sentence quoting another amount is left out.
    const facts = business ? catalogFacts(input.catalog ?? null) : pricebookFacts(pb);
    const allow = (sentence: string) => checkPrices(sentence, facts).ok;
    const found = findPassage(input.tenantId, input.knowledge, input.message, nameWords, { allow });
    if (found && allow(found.excerpt)) {
      const { passage, excerpt } = found;
      return out('document', `${excerpt} ${say.from(passage.title)}`, { documents: [{ id: passage.documentId, title: passage.title }] });
    }
  }
  // A business has no plans: what would be about plans is not something it published.
  if (business && planIntent) {
    return out('unknown', say.unknown[tone], { answered: false });
  }
  switch (c.intent) {
    case 'compare':
      return quoting('compare', c.plans, [say.compareIntro, ...c.plans.map((p) => say.planLine(p.name, price(p), includes(p)))].join('\n'));
    case 'plans_prices':
      return quoting('plans_prices', c.plans, [say.plansIntro, ...c.plans.map((p) => say.priceLine(p.name, price(p)))].join('\n'));
    case 'plan': {
      const p = c.plans[0]!;
      return quoting('plan', c.plans, say.plan(p.name, price(p), includes(p)));
    }
    case 'credits':
    case 'seats':
    case 'integrations':
    case 'support': {
      const topic = c.intent;
      const lines = c.plans.map((p) => say.topic(topic, p.name, value[topic](p)));
      if (topic === 'credits' && pb.credits_per_ai_reply > 0) lines.push(say.perReply(count(pb.credits_per_ai_reply, lang), pb.credits_per_ai_reply === 1));
      return quoting(topic, c.plans, lines.join('\n'));
    }
    case 'contact_hours': {
      const hours = input.tenant.officeHours.trim().replace(/[.\s]+$/, '');
      if (!hours) return out('contact_hours', say.noHours(input.tenant.name), { answered: false });
      return out('contact_hours', withCloser(say.hours(input.tenant.name, hours)));
    }
    case 'greeting':
      return out('greeting', c.intro ? (business ? say.introBusiness : say.intro)[tone](input.persona.name, input.tenant.name) : say.greeting[tone](input.persona.name));
    case 'thanks':
      return out('thanks', say.thanks[tone]);
    case 'unknown':
      return out('unknown', say.unknown[tone], { answered: false });
  }
}
