// What a model is told: the persona, the business's published catalog (the platform: its
// pricebook), its profile and hours as of now, the matched FAQ entry and the passages of its
// documents nearest the question as the only facts, and the conversation so far (bounded).
// Numbers are written exactly as the guard (price-guard.ts) will accept them back.
import type { Plan, Pricebook } from '../../../shared/schemas/pricebook';
import type { CatalogItem } from '../../../shared/schemas/catalog';
import { count, money, type ResponderInput, type ResponderOutput } from './builtin';
import { catalogMoney, relevantItems, weekSummary, type BusinessCatalog } from './business';
import { DEFAULT_TIME_ZONE, localTime, openNow } from './hours';
import { UNKNOWN_MARKER } from './guarded-stream';
import { topPassages, type Passage } from './knowledge-index';
import type { Language } from './language';
import type { ChatMessage } from './llm-client';

const HISTORY_CHARS = 6000;
/** The document passages a model is shown, and how much of their text in all. */
export const PROMPT_PASSAGES = 3;
export const PASSAGE_CHARS = 2500;
const LANGUAGE_NAME: Record<Language, string> = { en: 'English', it: 'Italian' };

// The facts are written in English, the way the built-in responder writes them.
function planLine(p: Plan, pricebook: Pricebook): string {
  const n = (x: number) => count(x, 'en');
  return `- ${p.name}: ${money(p.price_month, pricebook.currency, 'en')} per month; ${n(p.credits_month)} AI credits per month; ${p.seats === null ? 'unlimited' : n(p.seats)} team seats; ${n(p.integrations)} integration${p.integrations === 1 ? '' : 's'}; ${p.support} support.`;
}

// A business's catalog in the prompt: the items nearest the question, and every category name.
const PROMPT_ITEMS = 15;

function itemLine(item: CatalogItem, currency: string): string {
  const price = item.price === null ? 'price on request' : `${catalogMoney(item.price, currency, 'en')}${item.unit ? ` ${item.unit}` : ''}`;
  const options = item.options.length ? `; options: ${item.options.map((o) => `${o.name} ${catalogMoney(o.price, currency, 'en')}`).join(', ')}` : '';
  return `- ${item.name}${item.category ? ` [${item.category}]` : ''}: ${price}${options}${item.available ? '' : ' (not available at the moment)'}${item.description ? `. ${item.description}` : ''}`;
}

/** What the business published about its offer, for the model: a bounded slice of its catalog. */
function catalogFacts(input: ResponderInput, catalog: BusinessCatalog | null): string {
  if (!catalog?.version || !catalog.items.length) return 'Published catalog: nothing published yet. Quote no price at all.';
  const categories = [...new Set(catalog.items.flatMap((i) => (i.category ? [i.category] : [])))];
  const shown = relevantItems(input.message, catalog.items, PROMPT_ITEMS);
  return [
    `Published catalog (version ${catalog.version}, ${catalog.currency}; ${catalog.items.length} items${shown.length < catalog.items.length ? `, the ${shown.length} nearest the question shown` : ''}):`,
    ...shown.map((i) => itemLine(i, catalog.currency)),
    categories.length ? `Categories: ${categories.join(', ')}.` : '',
  ].filter(Boolean).join('\n');
}

/**
 * The passages of the business's documents a model is shown for this message: the nearest,
 * their text cut so that all of it stays within PASSAGE_CHARS. model.ts reads the same list to
 * tell which documents an answer named.
 */
export function promptPassages(input: Pick<ResponderInput, 'tenantId' | 'knowledge' | 'message'>): Passage[] {
  if (!input.knowledge) return [];
  let budget = PASSAGE_CHARS;
  const shown: Passage[] = [];
  for (const p of topPassages(input.tenantId, input.knowledge, input.message, PROMPT_PASSAGES)) {
    const room = budget - p.title.length - 3;
    if (room < 80) break;
    const text = p.text.replace(/\s+/g, ' ').trim();
    const cut = text.length <= room ? text : `${text.slice(0, room - 1).replace(/\s+\S*$/, '')}…`;
    shown.push({ ...p, text: cut });
    budget -= p.title.length + 3 + cut.length;
  }
  return shown;
}

/** The business profile and its hours as of now, in its own time zone. */
function profileFacts(input: ResponderInput): string {
  const p = input.profile ?? {};
  const lines = [
    p.about ? `About: ${p.about}` : '',
    p.address ? `Address: ${p.address}` : '',
    p.phone ? `Phone: ${p.phone}` : '',
    p.email ? `Email: ${p.email}` : '',
    p.website ? `Website: ${p.website}` : '',
  ];
  if (p.hours) {
    const timezone = p.timezone || DEFAULT_TIME_ZONE;
    const now = input.now ?? new Date();
    const local = localTime(now, timezone);
    const open = openNow({ hours: p.hours, closures: p.closures, timezone }, now);
    const clock = `${String(Math.floor(local.minutes / 60)).padStart(2, '0')}:${String(local.minutes % 60).padStart(2, '0')}`;
    lines.push(
      `Opening hours (${timezone}): ${weekSummary(p.hours, 'en')}.`,
      `Now at the business: ${local.weekday} ${local.date} ${clock}, ${open.open ? `open until ${open.closesAt}` : `closed${open.next ? `; opens ${open.next.weekday} ${open.next.date} at ${open.next.opensAt}` : ''}`}.`,
      ...(p.closures ?? []).filter((c) => c.date >= local.date).slice(0, 10).map((c) => `Closed on ${c.date}${c.note ? ` (${c.note})` : ''}.`),
    );
  } else if (input.tenant.officeHours) {
    lines.push(`Office hours: ${input.tenant.officeHours}.`);
  }
  const text = lines.filter(Boolean).join('\n');
  return text ? `About the business:\n${text}` : '';
}

/** `builtin` is the built-in responder's answer to the same message: its language and FAQ match are reused; `conversation` is what `input.history` read. */
export function buildPrompt(input: ResponderInput, builtin: Pick<ResponderOutput, 'language' | 'faqId'>, conversation: { author: string; body: string }[] = []): ChatMessage[] {
  const { persona, pricebook, tenant } = input;
  const language = builtin.language;
  const faq = builtin.faqId ? input.faq.entries.find((e) => e.id === builtin.faqId) : undefined;
  // Every business is held to its own catalog; only the platform's own site sells the plans.
  const business = input.catalog !== undefined;
  const passages = promptPassages(input);
  const system = [
    `You are ${persona.name}, the receptionist of ${tenant.name} on its website chat. Your tone is ${persona.tone}.`,
    persona.systemPrompt?.trim() ?? '',
    [
      'Rules:',
      `- Reply in ${LANGUAGE_NAME[language]}, in plain text, in at most three short sentences.`,
      business
        ? '- Every price you give must be copied exactly from the published catalog below, in its currency. Never estimate, discount, convert or invent a price, an item or an option.'
        : '- Every price, credit, seat or integration figure you give must be copied exactly from the published pricebook below. Never estimate, discount, convert or invent a number or a plan.',
      ...(passages.length
        ? [
            "- When the business's documents below answer the question, answer from them, and end that answer with \"(from: <Title>)\" naming the document you used.",
            `- An amount in the documents that is not in the published ${business ? 'catalog' : 'pricebook'} must not be quoted.`,
          ]
        : []),
      `- If these facts do not answer the question, reply with exactly: ${UNKNOWN_MARKER}`,
      '- If the visitor wants a person, say that someone from the office will join.',
    ].join('\n'),
    business
      ? catalogFacts(input, input.catalog ?? null)
      : `Published pricebook (version ${pricebook.version}, ${pricebook.currency}; each AI reply costs ${pricebook.credits_per_ai_reply} credit${pricebook.credits_per_ai_reply === 1 ? '' : 's'}):\n${pricebook.plans.map((p) => planLine(p, pricebook)).join('\n')}`,
    profileFacts(input),
    faq ? `From the business's FAQ:\nQ: ${faq.question}\nA: ${faq.answer}` : '',
    passages.length ? `From the business's documents:\n${passages.map((p) => `[${p.title}] ${p.text}`).join('\n')}` : '',
  ].filter(Boolean).join('\n\n');

  // The latest messages that fit, oldest first; people from the office speak as the assistant too.
  const history: ChatMessage[] = [];
  let budget = HISTORY_CHARS;
  for (const m of [...conversation].reverse()) {
    if (m.author !== 'visitor' && m.author !== 'bot' && m.author !== 'agent') continue;
    budget -= m.body.length;
    if (budget < 0) break;
    history.unshift({ role: m.author === 'visitor' ? 'user' : 'assistant', content: m.body });
  }
  return [{ role: 'system', content: system }, ...history, { role: 'user', content: input.message }];
}
