// What a model is told: the persona, the published pricebook and the matched FAQ entry as the
// only facts, and the conversation so far (bounded). Numbers are written exactly as the guard
// (price-guard.ts) will accept them back.
import type { Plan, Pricebook } from '../../../shared/schemas/pricebook';
import { count, money, type ResponderInput, type ResponderOutput } from './builtin';
import { UNKNOWN_MARKER } from './guarded-stream';
import type { Language } from './language';
import type { ChatMessage } from './llm-client';

const HISTORY_CHARS = 6000;
const LANGUAGE_NAME: Record<Language, string> = { en: 'English', it: 'Italian' };

// The facts are written in English, the way the built-in responder writes them.
function planLine(p: Plan, pricebook: Pricebook): string {
  const n = (x: number) => count(x, 'en');
  return `- ${p.name}: ${money(p.price_month, pricebook.currency, 'en')} per month; ${n(p.credits_month)} AI credits per month; ${p.seats === null ? 'unlimited' : n(p.seats)} team seats; ${n(p.integrations)} integration${p.integrations === 1 ? '' : 's'}; ${p.support} support.`;
}

/** `builtin` is the built-in responder's answer to the same message: its language and FAQ match are reused. */
export function buildPrompt(input: ResponderInput, builtin: Pick<ResponderOutput, 'language' | 'faqId'>): ChatMessage[] {
  const { persona, pricebook, tenant } = input;
  const language = builtin.language;
  const faq = builtin.faqId ? input.faq.entries.find((e) => e.id === builtin.faqId) : undefined;
  const system = [
    `You are ${persona.name}, the receptionist of ${tenant.name} on its website chat. Your tone is ${persona.tone}.`,
    persona.systemPrompt?.trim() ?? '',
    [
      'Rules:',
      `- Reply in ${LANGUAGE_NAME[language]}, in plain text, in at most three short sentences.`,
      '- Every price, credit, seat or integration figure you give must be copied exactly from the published pricebook below. Never estimate, discount, convert or invent a number or a plan.',
      `- If these facts do not answer the question, reply with exactly: ${UNKNOWN_MARKER}`,
      '- If the visitor wants a person, say that someone from the office will join.',
      tenant.officeHours ? `- Office hours: ${tenant.officeHours}.` : '',
    ].filter(Boolean).join('\n'),
    `Published pricebook (version ${pricebook.version}, ${pricebook.currency}; each AI reply costs ${pricebook.credits_per_ai_reply} credit${pricebook.credits_per_ai_reply === 1 ? '' : 's'}):\n${pricebook.plans.map((p) => planLine(p, pricebook)).join('\n')}`,
    faq ? `From the business's FAQ:\nQ: ${faq.question}\nA: ${faq.answer}` : '',
  ].filter(Boolean).join('\n\n');

  // The latest messages that fit, oldest first; people from the office speak as the assistant too.
  const history: ChatMessage[] = [];
  let budget = HISTORY_CHARS;
  for (const m of [...(input.history?.() ?? [])].reverse()) {
    if (m.author !== 'visitor' && m.author !== 'bot' && m.author !== 'agent') continue;
    budget -= m.body.length;
    if (budget < 0) break;
    history.unshift({ role: m.author === 'visitor' ? 'user' : 'assistant', content: m.body });
  }
  return [{ role: 'system', content: system }, ...history, { role: 'user', content: input.message }];
}
