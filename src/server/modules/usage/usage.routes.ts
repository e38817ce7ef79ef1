import { Usage, UsageQuery } from '../../../shared/schemas/usage';
import type { Clock } from '../../clock';
import { HttpError } from '../../errors';
import { authOf } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import type { CreditsService } from '../credits/credits.service';
import type { PricebookRepo } from '../pricebook/pricebook.repo';
import type { RetentionService } from '../retention/retention.service';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantRow, TenantsRepo } from '../tenants/tenants.repo';
import type { UsageRepo } from './usage.repo';
import type { CsatRepo } from '../csat/csat.repo';

const DAY_MS = 86_400_000;
const MAX_DAYS = 366;

function median(values: number[]): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return Math.round(s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2);
}

export function registerUsageRoutes(api: ApiRouter, deps: { usage: UsageRepo; tenants: TenantsRepo; credits: CreditsService; pricebook: PricebookRepo; clock: Clock; retention: Pick<RetentionService, 'policy'>; csat: Pick<CsatRepo, 'summary'>; storage?: (tenant: TenantRow) => Promise<{ used_bytes: number; limit_bytes: number | null }> }) {
  api.add({
    method: 'GET',
    path: '/api/usage',
    tag: 'Usage',
    summary: 'Per day: conversations, visitor messages, AI replies, handoffs, credits used, median first response time; this month\'s credits; the retention policy and conversations it removed this month; the visitors\' ratings in the period (CSAT)',
    auth: 'user',
    permission: 'audit.view',
    query: UsageQuery,
    response: Usage,
    errors: [404],
    async handler(ctx, { query }) {
      const tenant = await tenantOf(deps.tenants, authOf(ctx), query.business_id);
      const to = query.to ?? deps.clock.now().toISOString().slice(0, 10);
      const from = query.from ?? new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
      const span = (Date.parse(to) - Date.parse(from)) / DAY_MS + 1;
      if (!(span >= 1 && span <= MAX_DAYS)) throw new HttpError(400, 'invalid_request', `from must be on or before to, at most ${MAX_DAYS} days apart`);
      const end = new Date(Date.parse(to) + DAY_MS).toISOString().slice(0, 10);
      const pricebook = (await deps.pricebook.published())!;
      const responses = new Map<string, number[]>();
      for (const r of await deps.usage.firstResponses(tenant.id, from, end)) responses.set(r.date, [...(responses.get(r.date) ?? []), r.ms]);
      const counted = new Map((await deps.usage.days(tenant.id, from, end)).map((d) => [d.date, d]));
      const days = Array.from({ length: span }, (_, i) => {
        const date = new Date(Date.parse(from) + i * DAY_MS).toISOString().slice(0, 10);
        const d = counted.get(date);
        return {
          date,
          conversations: d?.conversations ?? 0,
          messages: d?.messages ?? 0,
          ai_replies: d?.ai_replies ?? 0,
          model_replies: d?.model_replies ?? 0,
          model_fallbacks: d?.model_fallbacks ?? 0,
          handoffs: d?.handoffs ?? 0,
          credits_used: (d?.billable_replies ?? 0) * pricebook.credits_per_ai_reply,
          median_first_response_ms: median(responses.get(date) ?? []),
        };
      });
      const credits = await deps.credits.state(tenant.id, tenant.plan_id, pricebook);
      return { from, to, days, credits: { month: credits.month, used: credits.used, allowance: credits.allowance, left: credits.left }, retention: await deps.retention.policy(tenant), csat: await deps.csat.summary(tenant.id, from, end), ...(deps.storage && { storage: await deps.storage(tenant) }) };
    },
  });
}
