import { effectiveRetention, type RetentionPolicy, type RetentionRunResult } from '../../../shared/schemas/retention';
import type { Clock } from '../../clock';
import type { AuthContext } from '../../http/context';
import type { Logger } from '../../logger';
import type { UnitOfWork } from '../../storage/unit-of-work';
import type { AppSettingsRepo } from '../settings/app-settings.repo';
import { settingsOf, type TenantRow, type TenantsRepo } from '../tenants/tenants.repo';
import { deleteConversations, type ConversationRepos } from '../visitors/delete-conversations';
import type { RetentionRepo } from './retention.repo';

export type RetentionService = ReturnType<typeof createRetentionService>;

/** app_settings key of the platform's maximum: JSON number of days, or null. */
export const RETENTION_MAX_KEY = 'retention.max_days';
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const TENANT_PAGE = 200;

/**
 * Retention: each business may keep conversations for a number of days after their last message
 * (settings.retention_days), the platform may cap it (app_settings `retention.max_days`). An hourly
 * job (and one at start) removes what is older, in batches of at most `batch` sessions (500) per
 * unit-of-work run, recording each batch in retention_runs and one audit entry per business and run.
 * Instances sharing a PostgreSQL database take turns per batch (`takeTurns('retention')`); the
 * deletes are idempotent, so two runs overlapping only find less to remove.
 */
export function createRetentionService(deps: {
  repo: RetentionRepo;
  tenants: TenantsRepo;
  settings: AppSettingsRepo;
  uow: UnitOfWork<ConversationRepos & { retention: RetentionRepo; appSettings: AppSettingsRepo }>;
  /** Issue #23: unlinks the files of removed conversations once their batch committed. */
  removeFiles?: (tenantId: string, ids: readonly string[]) => Promise<void>;
  clock: Clock;
  logger: Logger;
  intervalMs?: number;
  /** Conversations removed per unit-of-work run (BOB_RETENTION_BATCH). */
  batch?: number;
}) {
  const { repo, uow, clock, logger } = deps;
  const batch = deps.batch ?? 500;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // One run at a time in this process: a run asked for during another starts once it ends.
  let current: Promise<unknown> = Promise.resolve();

  async function platformMax(): Promise<number | null> {
    const stored = await deps.settings.get(RETENTION_MAX_KEY);
    const value: unknown = stored === undefined ? null : JSON.parse(stored);
    return typeof value === 'number' ? value : null;
  }

  /** Removes the tenant's conversations older than `days`, batch by batch; the last batch audits the totals. */
  async function sweepTenant(tenantId: string, days: number): Promise<{ sessions: number; messages: number; batches: number }> {
    const total = { sessions: 0, messages: 0, batches: 0 };
    const cutoff = new Date(clock.now().getTime() - days * DAY_MS).toISOString();
    for (;;) {
      if (stopped) break;
      const at = clock.now().toISOString();
      const { removed, last, files } = await uow.run(async (tx) => {
        await tx.retention.takeTurns();
        const expired = await tx.retention.expiredSessions(tenantId, cutoff, batch);
        await tx.retention.removeEventsOf(tenantId, expired.map((s) => s.id));
        const { files, ...removed } = await deleteConversations(tx, tenantId, expired);
        if (removed.sessions) await tx.retention.record(tenantId, at, removed);
        const last = expired.length < batch;
        const sessions = total.sessions + removed.sessions;
        if (last && sessions) {
          tx.audit({
            tenantId,
            action: 'retention.applied',
            targetType: 'tenant',
            targetId: tenantId,
            after: { days, before: cutoff, sessions_removed: sessions, messages_removed: total.messages + removed.messages, batches: total.batches + (removed.sessions ? 1 : 0) },
          });
        }
        return { removed, last, files };
      });
      await deps.removeFiles?.(tenantId, files);
      total.sessions += removed.sessions;
      total.messages += removed.messages;
      if (removed.sessions) total.batches++;
      if (last) break;
    }
    return total;
  }

  async function runOnce(): Promise<RetentionRunResult> {
    const result: RetentionRunResult = { businesses: 0, sessions_removed: 0, messages_removed: 0, batches: 0 };
    const max = await platformMax();
    for (let after = ''; !stopped; ) {
      const page: TenantRow[] = await deps.tenants.page(after, TENANT_PAGE);
      for (const tenant of page) {
        const days = effectiveRetention(settingsOf(tenant).retention_days, max);
        if (days === null || stopped) continue;
        result.businesses++;
        const removed = await sweepTenant(tenant.id, days);
        result.sessions_removed += removed.sessions;
        result.messages_removed += removed.messages;
        result.batches += removed.batches;
      }
      if (page.length < TENANT_PAGE) break;
      after = page.at(-1)!.slug;
    }
    if (result.sessions_removed) logger.info('retention applied', { ...result });
    return result;
  }

  /** Runs the job now (after a run already going, if any). */
  function run(): Promise<RetentionRunResult> {
    const next = current.then(runOnce, runOnce);
    current = next.catch(() => undefined);
    return next;
  }

  const runLogged = () => {
    run().catch((err: unknown) => logger.error('retention could not be applied', { err: String(err) }));
  };

  return {
    platformMax,

    async setPlatformMax(auth: AuthContext, ip: string, maxDays: number | null): Promise<{ max_days: number | null }> {
      const before = await platformMax();
      await uow.run(async (tx) => {
        await tx.appSettings.put(RETENTION_MAX_KEY, JSON.stringify(maxDays), clock.now().toISOString());
        tx.audit({ tenantId: auth.tenantId, actorId: auth.userId, actorEmail: auth.email, action: 'settings.retention_updated', targetType: 'settings', targetId: 'retention', before: { max_days: before }, after: { max_days: maxDays }, ip });
      });
      return { max_days: maxDays };
    },

    /** The business's retention as the job applies it, and what it removed this month. */
    async policy(tenant: TenantRow): Promise<RetentionPolicy> {
      const days = settingsOf(tenant).retention_days ?? null;
      const max = await platformMax();
      const effective = effectiveRetention(days, max);
      const now = clock.now().toISOString();
      const month = now.slice(0, 7);
      return {
        days,
        platform_max_days: max,
        effective_days: effective,
        capped: effective !== null && effective !== days,
        month,
        removed_this_month: await repo.removedSince(tenant.id, `${month}-01T00:00:00.000Z`),
      };
    },

    run,

    /** Runs the job now and then every hour (or `intervalMs`) until `stop`. */
    start() {
      stopped = false;
      runLogged();
      timer = setInterval(runLogged, deps.intervalMs ?? HOUR_MS);
      timer.unref();
    },

    /** Stops the timer and waits for a run in progress (which stops after its current batch). */
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}
