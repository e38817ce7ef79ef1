import type { Pricebook } from '../../../shared/schemas/pricebook';
import type { Emit } from '../events/events.bus';
import type { CreditsRepo } from './credits.repo';

export const CREDIT_THRESHOLDS = [80, 100] as const;

export interface CreditState {
  month: string;
  used: number;
  allowance: number;
  left: number;
}

export type CreditsService = ReturnType<typeof createCreditsService>;

/**
 * Monthly AI credits per tenant: the allowance is the tenant's plan's `credits_month` in the
 * published pricebook, each AI reply costs `credits_per_ai_reply`. Announces 80 % and 100 %.
 */
export function createCreditsService(repo: CreditsRepo, now: () => Date) {
  const month = () => now().toISOString().slice(0, 7);
  const allowanceOf = (pricebook: Pricebook, planId: string) => pricebook.plans.find((p) => p.id === planId)?.credits_month ?? 0;

  function state(tenantId: string, planId: string, pricebook: Pricebook): CreditState {
    const m = month();
    const used = repo.usage(tenantId, m)?.used ?? 0;
    const allowance = allowanceOf(pricebook, planId);
    return { month: m, used, allowance, left: Math.max(0, allowance - used) };
  }

  return {
    state,
    /** Charges one AI reply inside the caller's transaction and emits threshold events. */
    chargeReply(emit: Emit, tenantId: string, planId: string, pricebook: Pricebook): CreditState {
      const m = month();
      repo.add(tenantId, m, pricebook.credits_per_ai_reply);
      const s = state(tenantId, planId, pricebook);
      const pct = s.allowance > 0 ? (s.used / s.allowance) * 100 : 100;
      const already = repo.usage(tenantId, m)?.notified_pct ?? 0;
      const crossed = CREDIT_THRESHOLDS.filter((t) => pct >= t && already < t);
      if (crossed.length) {
        const top = crossed[crossed.length - 1]!;
        repo.setNotified(tenantId, m, top);
        for (const t of crossed) emit(tenantId, 'credits.threshold', { percent: t, used: s.used, allowance: s.allowance, month: m });
      }
      return s;
    },
  };
}
