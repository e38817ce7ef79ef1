// What a message asks for, by keyword patterns in Italian and English. Patterns run on the
// message's normalised words joined by single spaces (no accents, no punctuation, lowercase).
import type { Plan } from '../../../shared/schemas/pricebook';
import { words } from './language';

export type Intent =
  | 'greeting' | 'plans_prices' | 'plan' | 'credits' | 'seats' | 'integrations' | 'support'
  | 'compare' | 'handoff' | 'contact_hours' | 'thanks' | 'faq' | 'unknown'
  // A business's own offer and profile (business.ts).
  | 'item' | 'category' | 'catalog' | 'not_listed' | 'location' | 'phone' | 'email' | 'website' | 'about'
  // A passage of the business's knowledge documents (knowledge-index.ts).
  | 'document';

/** A property of plans the visitor can ask about on its own. */
export type Topic = 'credits' | 'seats' | 'integrations' | 'support';

const flat = (text: string) => words(text).join(' ');

// "Are you human?" / "Sei un bot?" asks who Bob is, not for a person; it is cut out before the
// handoff patterns run, so "are you human? I want a real person" still hands off.
const ABOUT_BOB =
  /\b(are you (an? )?(real )?(human|person|bot|robot|ai)|sei (un |una )?(essere umano|umano|umana|persona( vera| reale)?|bot|robot|ia))\b/;

// Requests for a person. "agent" counts on its own, but not in "user agent" or "AI agent", nor
// as a modifier of a noun ("agent plan", "agent seats"): those are about software or pricing.
const HUMAN = [
  /\boperator(e|i|ice)?\b/,
  /\buman[oa]\b/,
  /\bpersona (reale|vera|fisica)\b/,
  /\bparlare con (qualcuno|una persona|uno? (addett[oa]|consulente|commerciale|responsabile)|il (team|personale|supporto)|lo staff|l assistenza)\b/,
  /\b(un|una) addett[oa]\b/,
  /\b(servizio|assistenza) clienti\b/,
  // "assistenza" alone is also a plan's support level ("che assistenza ha il piano Pro?"): only a request for it hands off.
  /\b(voglio|vorrei|chiedo|richiedo|serve|bisogno di|bisogno dell|contattare|chiamare|passami|passatemi)( l| un| dell| di)? assistenza\b/,
  /^assistenza( per favore)?$/,
  /\bc e qualcuno\b/,
  /\bhumans?\b/,
  /\b(real|live|actual) (person|human|agent|operator)\b/,
  /\b(talk|speak|chat|connect me|transfer me|put me through) (to|with) (someone|somebody|anyone|anybody|a (person|human|representative|rep|manager)|(a member of )?(your|the) (team|staff)|sales|support)\b/,
  /\brepresentative\b/,
  /\bcustomer (service|care)\b/,
  /\b(is )?(anyone|anybody|someone|somebody) there\b/,
  /\bperson please\b/,
  /(?<!\b(user|ai|software|browser) )\bagent\b(?! (plans?|seats?|licen[cs]es?|roles?|accounts?|app|dashboard|console|pricing|prices?|fees?|costs?)\b)/,
];

/** Whether the message asks for a person: whole words, any case, accents ignored, Italian or English. */
export function wantsHuman(text: string): boolean {
  const t = flat(text).replace(new RegExp(ABOUT_BOB, 'g'), ' ');
  return HUMAN.some((re) => re.test(t));
}

const TOPICS: Record<Topic, RegExp> = {
  credits: /\bcredit(s|o|i)?\b/,
  seats: /\b(seats?|posti|posto|users|utenti|team members?|membri|licen[cs]es|licenze|how many people|quante persone)\b/,
  integrations: /\b(integrations?|integrazion[ei]|integrate|integrare|webhooks?)\b/,
  // "Do you support WhatsApp?" uses the verb: that is not a question about support levels.
  support: /(?<!\b(do|does|can|will) (you|it|bob) )\b(support|supporto|assistenza)\b/,
};
// Bare "quanto" is also arithmetic ("quanto fa 7 per 8?"); the price forms say what they ask.
const PRICE = /\b(prices?|pricing|costs?|how much|prezz[oi]|costa|costano|quanto (viene|vengono|si paga|pago)|tariff[ae]|fees?|canone|listino)\b/;
/** Whether the message asks what something costs. */
export const asksPrice = (text: string) => PRICE.test(flat(text));
const PLANS = /\b(plans|piani|listino|packages|pacchetti)\b/;
const COMPARE =
  /\b(compare|comparison|comparing|difference|differences|differ|vs|versus|better|cheapest|which plan|right for me|quale piano|confront[oa]|confrontare|differenz[ae]|migliore|conviene|fa per me)\b/;
const HOURS =
  /\b(hours|opening|(are|is) (you|it|the office) open|open (today|tomorrow|now|on)|closing|what time|when are you|contact you|reach you|orari|orario|aperti|aperto|chiudete|chiusi|a che ora|quando siete|contattarvi)\b/;
const THANKS = /\b(thanks|thank you|thx|cheers|grazie|ti ringrazio|la ringrazio)\b/;
const INTRO = /\b(who are you|what s your name|whats your name|what is your name|chi sei|come ti chiami)\b/;
const GREETING = /^(hi|hello|hey|hiya|good (morning|afternoon|evening|day)|greetings|ciao|salve|buongiorno|buonasera|buon pomeriggio)\b/;
// What may follow a greeting while the message stays a plain greeting ("hi there, how are you?").
const SMALL_TALK = new Set(
  'there everyone all folks again how are you doing is it going a tutti di nuovo come va stai sta state tutto bene e and'.split(' '),
);

/**
 * The plans the message names, by id or by name. Longer names claim their words first, so
 * with plans "Pro" and "Pro Plus" the message "Pro Plus?" names only "Pro Plus".
 */
function namedPlans(text: string, plans: Plan[]): Plan[] {
  let t = ` ${flat(text)} `;
  const byLength = plans
    .flatMap((plan) => [plan.id, plan.name].map((n) => ({ plan, phrase: ` ${flat(n)} ` })))
    .filter((c) => c.phrase.trim())
    .sort((a, b) => b.phrase.length - a.phrase.length);
  const found = new Set<Plan>();
  for (const { plan, phrase } of byLength) {
    if (!t.includes(phrase)) continue;
    found.add(plan);
    t = t.split(phrase).join(' | ');
  }
  return plans.filter((p) => found.has(p));
}

export type Classified =
  | { intent: 'compare' | 'plans_prices' | 'plan'; plans: Plan[] }
  | { intent: Topic; plans: Plan[] }
  | { intent: 'greeting'; intro: boolean }
  | { intent: 'contact_hours' | 'thanks' | 'unknown' };

/**
 * The built-in intent of a message (handoff and FAQ are decided before this). A plan plus a
 * topic answers the topic for that plan; a topic alone answers it for every plan.
 */
export function classify(text: string, plans: Plan[], personaName: string): Classified {
  const t = flat(text);
  const named = namedPlans(text, plans);
  const topic = (Object.keys(TOPICS) as Topic[]).find((k) => TOPICS[k].test(t));

  if (COMPARE.test(t) || (named.length >= 2 && !topic)) return { intent: 'compare', plans: named.length >= 2 ? named : plans };
  if (topic) return { intent: topic, plans: named.length ? named : plans };
  if (named.length === 1) return { intent: 'plan', plans: named };
  if (PRICE.test(t) || PLANS.test(t)) return { intent: 'plans_prices', plans };
  if (INTRO.test(t) || ABOUT_BOB.test(t)) return { intent: 'greeting', intro: true };
  if (HOURS.test(t)) return { intent: 'contact_hours' };
  if (THANKS.test(t)) return { intent: 'thanks' };
  const greeting = GREETING.exec(t);
  if (greeting) {
    const name = new Set(words(personaName));
    const rest = words(t.slice(greeting[0].length)).filter((w) => !SMALL_TALK.has(w) && !name.has(w));
    if (!rest.length) return { intent: 'greeting', intro: false };
  }
  return { intent: 'unknown' };
}
