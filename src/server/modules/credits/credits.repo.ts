import type { Selectable } from 'kysely';
import type { SqlDialect } from '../../storage/dialect';
import type { CreditUsageTable } from '../../storage/schema';
import { compiledQuery } from '../../storage/compiled';
import { returningOnPostgres, type Storage } from '../../storage/sqlite';

export type CreditUsageRow = Selectable<CreditUsageTable>;

export type CreditsRepo = ReturnType<typeof createCreditsRepo>;

// Each AI reply reads and charges its month: compiled once. (No RETURNING on the upsert: in
// SQLite the upsert and a read cost less than the upsert returning its row.)
const Q = {
  usage: compiledQuery((db, a: { tenantId: string; month: string }) =>
    db.selectFrom('credit_usage').select(['used', 'notified_pct']).where('tenant_id', '=', a.tenantId).where('month', '=', a.month),
  ),
  add: compiledQuery((db, a: { tenantId: string; month: string; credits: number }) =>
    returningOnPostgres(
      db,
      db
        .insertInto('credit_usage')
        .values({ tenant_id: a.tenantId, month: a.month, used: a.credits })
        .onConflict((oc) => oc.columns(['tenant_id', 'month']).doUpdateSet((eb) => ({ used: eb('credit_usage.used', '+', eb.ref('excluded.used')) }))),
      ['used', 'notified_pct'],
    ),
  ),
};

/** Each tenant's AI credits used per month (YYYY-MM) and the highest threshold already announced. */
export function createCreditsRepo(db: Storage, dialect: SqlDialect) {
  const month = (tenantId: string, m: string) => db.updateTable('credit_usage').where('tenant_id', '=', tenantId).where('month', '=', m);
  return {
    usage: (tenantId: string, month: string): Promise<Pick<CreditUsageRow, 'used' | 'notified_pct'> | undefined> => Q.usage.first(db, { tenantId, month }),
    /** Adds to a month's count; the month as it is after. */
    add: async (tenantId: string, month: string, credits: number): Promise<Pick<CreditUsageRow, 'used' | 'notified_pct'>> => {
      // The month's row is a hot one (every AI reply of the business): on PostgreSQL it comes back with the update.
      const { rows } = await Q.add.execute(db, { tenantId, month, credits });
      return (rows[0] as Pick<CreditUsageRow, 'used' | 'notified_pct'> | undefined) ?? (await Q.usage.first(db, { tenantId, month }))!;
    },
    setNotified: async (tenantId: string, m: string, percent: number) => {
      await month(tenantId, m).set({ notified_pct: percent }).execute();
    },
    /** Sets a month's count outright (tests put a tenant near its allowance). */
    setUsed: async (tenantId: string, m: string, used: number) => {
      await month(tenantId, m).set({ used }).execute();
    },
    /** Every tenant's months, in the order first charged: for inspection (tests). */
    rows: (): Promise<CreditUsageRow[]> => db.selectFrom('credit_usage as c').selectAll('c').orderBy(dialect.insertionOrder('c')).execute(),
  };
}
