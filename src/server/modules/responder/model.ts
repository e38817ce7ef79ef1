// Answers with an OpenAI-compatible model when one is configured, and with the built-in responder
// whenever the model cannot be trusted with the answer: a handoff, an error or timeout, a
// malformed or empty answer, "UNKNOWN", or a price the business did not publish (its catalog; the
// platform's pricebook on the platform's own site).
import type { Logger } from '../../logger';
import type { Responder } from '../chat/chat.service';
import type { ModelSettings } from '../model/model.settings';
import { respond as builtinRespond, type ResponderInput, type ResponderOutput } from './builtin';
import { normalize } from './language';
import { createGuardedStream, UNKNOWN_MARKER } from './guarded-stream';
import { complete, LlmError } from './llm-client';
import { catalogFacts, checkPrices, pricebookFacts } from './price-guard';
import { buildPrompt, promptPassages } from './prompt';

export function createModelResponder(deps: { settings: ModelSettings; logger: Logger }): Responder {
  return (input) => {
    const builtin = builtinRespond(input);
    // No model, or the visitor wants a person: the built-in answer, at once (same transaction).
    if (!deps.settings.active() || builtin.handoff) return { ...builtin, source: 'builtin' };
    return withModel(input, builtin, deps);
  };
}

async function withModel(input: ResponderInput, builtin: ResponderOutput, deps: { settings: ModelSettings; logger: Logger }): Promise<ResponderOutput> {
  const fallback = (reason: string, detail: Record<string, unknown> = {}): ResponderOutput => {
    deps.logger.warn('model answer not used; the built-in responder answered', { tenant_id: input.tenantId, reason, ...detail });
    return { ...builtin, source: 'fallback' };
  };
  const settings = await deps.settings.resolve();
  if (!settings) return { ...builtin, source: 'builtin' };
  // A business's answers are checked against its own catalog; the platform's against its plans.
  const business = input.catalog !== undefined;
  const facts = business ? catalogFacts(input.catalog ?? null) : pricebookFacts(input.pricebook);
  const guard = input.onToken ? createGuardedStream(facts, input.onToken) : undefined;
  try {
    const { text: raw } = await complete(settings, buildPrompt(input, builtin, (await input.history?.()) ?? []), { onToken: guard && ((token: string) => guard.push(token)) });
    const text = raw.trim();
    if (text.toUpperCase().startsWith(UNKNOWN_MARKER)) return { ...builtin, source: 'builtin' };
    const prices = checkPrices(text, facts);
    if (!prices.ok) return fallback(business ? 'price_not_in_catalog' : 'price_not_in_pricebook', { quoted: prices.unknown });
    return { text, language: builtin.language, intent: builtin.intent, answered: true, handoff: false, source: 'model', ...quoted(text, input) };
  } catch (err) {
    if (err instanceof LlmError) return fallback(err.kind, { message: err.message });
    throw err;
  }
}

/** The documents an answer names in "(from: Title)" / "(fonte: Title)", among the passages the model was given. */
function namedDocuments(text: string, input: ResponderInput): NonNullable<ResponderOutput['documents']> {
  const cited = [...text.matchAll(/\((?:from|fonte|source)\s*:\s*([^)]+)\)/giu)].map((m) => normalize(m[1]!));
  if (!cited.length) return [];
  const documents = new Map<string, string>();
  for (const p of promptPassages(input)) {
    if (cited.some((c) => c.includes(normalize(p.title)))) documents.set(p.documentId, p.title);
  }
  return [...documents].map(([id, title]) => ({ id, title }));
}

/** What a model's answer quoted, for its receipt: the items or plans it names, the profile it repeats, the documents it cites. */
function quoted(text: string, input: ResponderInput): Pick<ResponderOutput, 'planIds' | 'itemIds' | 'profile' | 'catalogUsed' | 'documents'> {
  const documents = namedDocuments(text, input);
  const said = normalize(text);
  const names = (name: string) => said.includes(normalize(name));
  const p = input.profile ?? {};
  const profile = (['address', 'phone', 'email', 'website'] as const).filter((f) => p[f] && names(p[f]!));
  const hours = p.hours && /\b\d{1,2}[:.]\d{2}\b/.test(text) ? (['hours'] as const) : [];
  if (input.catalog === undefined) return { planIds: input.pricebook.plans.filter((plan) => names(plan.name)).map((plan) => plan.id), profile: [...profile, ...hours], documents };
  return {
    documents,
    planIds: [],
    itemIds: (input.catalog?.items ?? []).filter((i) => names(i.name)).map((i) => i.id),
    profile: [...profile, ...hours],
    catalogUsed: !!input.catalog,
  };
}
