// What a model is told: the persona, the published pricebook and the matched FAQ entry as the
// only facts, and the conversation so far (bounded). Numbers are written exactly as the guard
// (price-guard.ts) will accept them back.
import type { Plan, Pricebook } from '../../../shared/schemas/pricebook';
import type { ResponderInput } from './builtin';
import { findFaq } from './faq-index';
import type { Language } from './language';
import type { ChatMessage } from './llm-client';
import { UNKNOWN_MARKER } from './guarded-stream';

const HISTORY_CHARS = 6000;
const LANGUAGE_NAME: Record<Language, string> = { en: 'English', it: 'Italian' };

function planLine(p: Plan, pricebook: Pricebook): string {
  const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: pricebook.currency, currencyDisplay: 'narrowSymbol', maximumFractionDigits: 2 });
  const n = (x: number) => x.toLocaleString('en-US');
  return `- ${p.name}: ${money.format(p.price_month)} per month; ${n(p.credits_month)} AI credits per month; ${p.seats === null ? 'unlimited' : n(p.seats)} team seats; ${n(p.integrations)} integration${p.integrations === 1 ? '' : 's'}; ${p.support} support.`;
}

export function buildPrompt(input: ResponderInput, language: Language): ChatMessage[] {
  const { persona, pricebook, tenant } = input;
  const faq = findFaq(input.tenantId, input.faq, input.message);
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
