import type { Selectable } from 'kysely';
import type { Plan, Pricebook } from '../../../shared/schemas/pricebook';
import type { PricebookVersionsTable } from '../../storage/schema';
import { compiledQuery, literal } from '../../storage/compiled';
import type { Storage } from '../../storage/sqlite';

type PricebookRow = Pick<Selectable<PricebookVersionsTable>, 'version' | 'status' | 'currency' | 'credits_per_ai_reply' | 'plans' | 'published_at'>;

const COLUMNS = ['version', 'status', 'currency', 'credits_per_ai_reply', 'plans', 'published_at'] as const;

const toPricebook = (r: PricebookRow): Pricebook => ({
  version: r.version,
  status: r.status,
  published_at: r.published_at,
  currency: r.currency,
  credits_per_ai_reply: r.credits_per_ai_reply,
  plans: JSON.parse(r.plans) as Plan[],
});

// Read on every visitor message: compiled once, 'published' written into the SQL (the partial index pricebook_one_published).
const publishedVersion = compiledQuery((db) => db.selectFrom('pricebook_versions').select('version').where('status', '=', literal('published')));

/** The published pricebook as last parsed; one per database, shared by its root repo and the unit of work's. */
export interface PublishedPricebookCache {
  current?: Pricebook;
}

export type PricebookRepo = ReturnType<typeof createPricebookRepo>;

export function createPricebookRepo(db: Storage, cache: PublishedPricebookCache = {}) {
  const versions = () => db.selectFrom('pricebook_versions').select(COLUMNS);
  return {
    list: async () => (await versions().orderBy('version', 'desc').execute()).map(toPricebook),
    get: async (version: number) => {
      const row = await versions().where('version', '=', version).executeTakeFirst();
      return row && toPricebook(row);
    },
    nextVersion: async () => {
      const { last } = await db
        .selectFrom('pricebook_versions')
        .select((eb) => eb.fn.max<number | null>('version').as('last'))
        .executeTakeFirstOrThrow();
      return (last ?? 0) + 1;
    },
    updateDraft: async (p: Pricebook) => {
      const r = await db
        .updateTable('pricebook_versions')
        .set({ currency: p.currency, credits_per_ai_reply: p.credits_per_ai_reply, plans: JSON.stringify(p.plans) })
        .where('version', '=', p.version)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    /** Archives the published version and publishes the draft; call inside a unit of work. */
    async publish(version: number, at: string): Promise<boolean> {
      await db.updateTable('pricebook_versions').set({ status: 'archived' }).where('status', '=', 'published').execute();
      const r = await db
        .updateTable('pricebook_versions')
        .set({ status: 'published', published_at: at })
        .where('version', '=', version)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    insert: async (p: Pricebook & { at: string; created_by: string | null }) => {
      await db
        .insertInto('pricebook_versions')
        .values({
          version: p.version,
          status: p.status,
          currency: p.currency,
          credits_per_ai_reply: p.credits_per_ai_reply,
          plans: JSON.stringify(p.plans),
          created_at: p.at,
          published_at: p.published_at,
          created_by: p.created_by,
        })
        .execute();
    },
    /**
     * The published pricebook, read on every message: a published version never changes, so its
     * parsed form is reused while it is still the published one (one indexed lookup per read, and
     * no invalidation to miss). Treat it as read-only: it is shared.
     */
    published: async (): Promise<Pricebook | undefined> => {
      const head = await publishedVersion.first(db, {});
      if (head === undefined) return (cache.current = undefined);
      if (cache.current?.version === head.version) return cache.current;
      const row = await versions().where('status', '=', 'published').executeTakeFirst();
      return (cache.current = row && Object.freeze(toPricebook(row)));
    },
  };
}
