import type { Plan } from '../../../shared/schemas/pricebook';

// Pricebook V1 from the seed reference (USD/month). The seed's Base support cell is empty;
// SPEC §8 fills it with "Standard". This is data for the first run, not a source of answers:
// the responder always reads the published version from the database.
export const PRICEBOOK_V1 = {
  currency: 'USD',
  credits_per_ai_reply: 1,
  plans: [
    { id: 'base', name: 'Base', price_month: 79, credits_month: 15_000, seats: 3, integrations: 1, support: 'Standard', storage_mb: 1024 },
    { id: 'pro', name: 'Pro', price_month: 249, credits_month: 75_000, seats: 10, integrations: 3, support: 'Priority', storage_mb: 10_240 },
    { id: 'enterprise', name: 'Enterprise', price_month: 899, credits_month: 250_000, seats: null, integrations: 10, support: 'Dedicated', storage_mb: 51_200 },
  ] satisfies Plan[],
};
