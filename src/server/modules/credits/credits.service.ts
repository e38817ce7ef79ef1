import type { Pricebook } from '../../../shared/schemas/pricebook';
import type { Tx } from '../../storage/unit-of-work';
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
  const stateOf = (m: string, used: number, allowance: number): CreditState => ({ month: m, used, allowance, left: Math.max(0, allowance - used) });

  /** `r`: where to read (inside a unit of work, the run's `credits` repo). */
  async function state(tenantId: string, planId: string, pricebook: Pricebook, r: CreditsRepo = repo): Promise<CreditState> {
    const m = month();
    return stateOf(m, (await r.usage(tenantId, m))?.used ?? 0, allowanceOf(pricebook, planId));
  }

  return {
    state,
    /** Charges one AI reply in the caller's unit of work and emits threshold events. */
    async chargeReply(t: Tx<{ credits: CreditsRepo }>, tenantId: string, planId: string, pricebook: Pricebook): Promise<CreditState> {
      const m = month();
      const { used, notified_pct: already } = await t.credits.add(tenantId, m, pricebook.credits_per_ai_reply);
      const s = stateOf(m, used, allowanceOf(pricebook, planId));
      const pct = s.allowance > 0 ? (s.used / s.allowance) * 100 : 100;
      const crossed = CREDIT_THRESHOLDS.filter((th) => pct >= th && already < th);
      if (crossed.length) {
        const top = crossed[crossed.length - 1]!;
        await t.credits.setNotified(tenantId, m, top);
        for (const th of crossed) t.emit(tenantId, 'credits.threshold', { percent: th, used: s.used, allowance: s.allowance, month: m });
      }
      return s;
    },
  };
}
