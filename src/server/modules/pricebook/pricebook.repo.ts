import type { Db } from '../../db/client';
import type { Plan, Pricebook } from '../../../shared/schemas/pricebook';

interface PricebookRow {
  version: number;
  status: Pricebook['status'];
  currency: string;
  credits_per_ai_reply: number;
  plans: string;
  published_at: string | null;
}

const toPricebook = (r: PricebookRow): Pricebook => ({
  version: r.version,
  status: r.status,
  published_at: r.published_at,
  currency: r.currency,
  credits_per_ai_reply: r.credits_per_ai_reply,
  plans: JSON.parse(r.plans) as Plan[],
});

export type PricebookRepo = ReturnType<typeof createPricebookRepo>;

export function createPricebookRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO pricebook_versions (version, status, currency, credits_per_ai_reply, plans, created_at, published_at, created_by)
     VALUES (@version, @status, @currency, @credits_per_ai_reply, @plans, @at, @published_at, @created_by)`,
  );
  const published = db.prepare<[], PricebookRow>(
    `SELECT version, status, currency, credits_per_ai_reply, plans, published_at FROM pricebook_versions WHERE status = 'published'`,
  );
  return {
    insert: (p: Pricebook & { at: string; created_by: string | null }) =>
      insert.run({ ...p, plans: JSON.stringify(p.plans) }),
    published: (): Pricebook | undefined => {
      const row = published.get();
      return row && toPricebook(row);
    },
  };
}
