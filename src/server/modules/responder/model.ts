// Answers with an OpenAI-compatible model when one is configured, and with the built-in responder
// whenever the model cannot be trusted with the answer: a handoff, an error or timeout, a
// malformed or empty answer, "UNKNOWN", or a price that is not in the published pricebook.
import type { Logger } from '../../logger';
import type { Responder } from '../chat/chat.service';
import type { ModelSettings } from '../model/model.settings';
import { respond as builtinRespond, type ResponderInput, type ResponderOutput } from './builtin';
import { createGuardedStream, UNKNOWN_MARKER } from './guarded-stream';
import { complete, LlmError } from './llm-client';
import { checkPrices } from './price-guard';
import { buildPrompt } from './prompt';

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
  const guard = input.onToken ? createGuardedStream(input.pricebook, input.onToken) : undefined;
  try {
    const { text: raw } = await complete(settings, buildPrompt(input, builtin), { onToken: guard?.push });
    const text = raw.trim();
    if (text.toUpperCase().startsWith(UNKNOWN_MARKER)) return { ...builtin, source: 'builtin' };
    const prices = checkPrices(text, input.pricebook);
    if (!prices.ok) return fallback('price_not_in_pricebook', { quoted: prices.unknown });
    return { text, language: builtin.language, intent: builtin.intent, answered: true, handoff: false, planIds: [], source: 'model' };
  } catch (err) {
    if (err instanceof LlmError) return fallback(err.kind, { message: err.message });
    throw err;
  }
}
