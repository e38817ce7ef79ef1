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
  const all = db.prepare<[], PricebookRow>(
    'SELECT version, status, currency, credits_per_ai_reply, plans, published_at FROM pricebook_versions ORDER BY version DESC',
  );
  const one = db.prepare<[number], PricebookRow>(
    'SELECT version, status, currency, credits_per_ai_reply, plans, published_at FROM pricebook_versions WHERE version = ?',
  );
  const nextVersion = db.prepare('SELECT COALESCE(MAX(version), 0) + 1 FROM pricebook_versions').pluck();
  const update = db.prepare(
    `UPDATE pricebook_versions SET currency = @currency, credits_per_ai_reply = @credits_per_ai_reply, plans = @plans WHERE version = @version AND status = 'draft'`,
  );
  const archivePublished = db.prepare(`UPDATE pricebook_versions SET status = 'archived' WHERE status = 'published'`);
  const publishedHead = db.prepare<[], number>(`SELECT version FROM pricebook_versions WHERE status = 'published'`).pluck();
  let cached: Pricebook | undefined;
  const publish = db.prepare(`UPDATE pricebook_versions SET status = 'published', published_at = ? WHERE version = ? AND status = 'draft'`);
  return {
    list: () => all.all().map(toPricebook),
    get: (version: number) => {
      const row = one.get(version);
      return row && toPricebook(row);
    },
    nextVersion: () => nextVersion.get() as number,
    updateDraft: (p: Pricebook) => update.run({ ...p, plans: JSON.stringify(p.plans) }).changes > 0,
    /** Archives the published version and publishes the draft; call inside a transaction. */
    publish(version: number, at: string): boolean {
      archivePublished.run();
      return publish.run(at, version).changes > 0;
    },
    insert: (p: Pricebook & { at: string; created_by: string | null }) =>
      insert.run({ ...p, plans: JSON.stringify(p.plans) }),
    /**
     * The published pricebook, read on every message: a published version never changes, so its
     * parsed form is reused while it is still the published one (one indexed lookup per read, and
     * no invalidation to miss). Treat it as read-only: it is shared.
     */
    published: (): Pricebook | undefined => {
      const head = publishedHead.get();
      if (head === undefined) return (cached = undefined);
      if (cached?.version === head) return cached;
      const row = published.get();
      return (cached = row && Object.freeze(toPricebook(row)));
    },
  };
}
