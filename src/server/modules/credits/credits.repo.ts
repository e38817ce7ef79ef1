import type { Db } from '../../db/client';

export type CreditsRepo = ReturnType<typeof createCreditsRepo>;

/** Each tenant's AI credits used per month (YYYY-MM) and the highest threshold already announced. */
export function createCreditsRepo(db: Db) {
  const usage = db.prepare<[string, string], { used: number; notified_pct: number }>('SELECT used, notified_pct FROM credit_usage WHERE tenant_id = ? AND month = ?');
  const add = db.prepare(
    `INSERT INTO credit_usage (tenant_id, month, used) VALUES (?, ?, ?)
     ON CONFLICT (tenant_id, month) DO UPDATE SET used = used + excluded.used`,
  );
  const notified = db.prepare('UPDATE credit_usage SET notified_pct = ? WHERE tenant_id = ? AND month = ?');
  const setUsed = db.prepare('UPDATE credit_usage SET used = ? WHERE tenant_id = ? AND month = ?');
  const rows = db.prepare<[], { tenant_id: string; month: string; used: number; notified_pct: number }>('SELECT tenant_id, month, used, notified_pct FROM credit_usage ORDER BY rowid');
  return {
    usage: (tenantId: string, month: string) => usage.get(tenantId, month),
    add: (tenantId: string, month: string, credits: number) => void add.run(tenantId, month, credits),
    setNotified: (tenantId: string, month: string, percent: number) => void notified.run(percent, tenantId, month),
    /** Sets a month's count outright (tests put a tenant near its allowance). */
    setUsed: (tenantId: string, month: string, used: number) => void setUsed.run(used, tenantId, month),
    /** Every tenant's months: for inspection (tests). */
    rows: () => rows.all(),
  };
}
