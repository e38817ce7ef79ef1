import type { Selectable } from 'kysely';
import type { CatalogItem, CatalogVersion } from '../../../shared/schemas/catalog';
import type { CatalogVersionsTable } from '../../storage/schema';
import { compiledQuery, literal } from '../../storage/compiled';
import type { Storage } from '../../storage/sqlite';

type CatalogRow = Pick<Selectable<CatalogVersionsTable>, 'version' | 'status' | 'currency' | 'items' | 'created_at' | 'published_at'>;

const COLUMNS = ['version', 'status', 'currency', 'items', 'created_at', 'published_at'] as const;

const toVersion = (r: CatalogRow): CatalogVersion => ({
  version: r.version,
  status: r.status,
  currency: r.currency,
  items: JSON.parse(r.items) as CatalogItem[],
  created_at: r.created_at,
  published_at: r.published_at,
});

// Read on every visitor message: compiled once, 'published' written into the SQL (the partial index catalog_one_published).
const publishedVersion = compiledQuery((db, a: { tenantId: string }) =>
  db.selectFrom('catalog_versions').select('version').where('tenant_id', '=', a.tenantId).where('status', '=', literal('published')),
);

/** Each tenant's published catalog as last parsed; one per database, shared by its root repo and the unit of work's. */
export type PublishedCatalogCache = Map<string, CatalogVersion>;

export type CatalogRepo = ReturnType<typeof createCatalogRepo>;

// The responder reads the published catalog on every message. A published version never
// changes, so its parsed form is kept per tenant (in `cache`) and reused while it is still the
// published one: each read costs one indexed lookup, and no invalidation can be missed (a
// rollback, or a publish by another process on the same database).
export function createCatalogRepo(db: Storage, cache: PublishedCatalogCache = new Map()) {
  const versions = (tenantId: string) => db.selectFrom('catalog_versions').select(COLUMNS).where('tenant_id', '=', tenantId);
  const byStatus = (tenantId: string, status: CatalogVersion['status']) => versions(tenantId).where('status', '=', status).executeTakeFirst();
  const versionRow = (tenantId: string, version: number) =>
    db.updateTable('catalog_versions').where('tenant_id', '=', tenantId).where('version', '=', version).where('status', '=', 'draft');

  return {
    list: async (tenantId: string) => (await versions(tenantId).orderBy('version', 'desc').execute()).map(toVersion),
    get: async (tenantId: string, version: number) => {
      const row = await versions(tenantId).where('version', '=', version).executeTakeFirst();
      return row && toVersion(row);
    },
    draft: async (tenantId: string) => {
      const row = await byStatus(tenantId, 'draft');
      return row && toVersion(row);
    },
    nextVersion: async (tenantId: string) => {
      const { last } = await db
        .selectFrom('catalog_versions')
        .select((eb) => eb.fn.max<number | null>('version').as('last'))
        .where('tenant_id', '=', tenantId)
        .executeTakeFirstOrThrow();
      return (last ?? 0) + 1;
    },
    insert: async (tenantId: string, v: CatalogVersion, createdBy: string | null) => {
      await db
        .insertInto('catalog_versions')
        .values({ ...v, tenant_id: tenantId, items: JSON.stringify(v.items), created_by: createdBy })
        .execute();
    },
    updateDraft: async (tenantId: string, v: Pick<CatalogVersion, 'version' | 'currency' | 'items'>) => {
      const r = await versionRow(tenantId, v.version).set({ currency: v.currency, items: JSON.stringify(v.items) }).executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    /** Archives the published version and publishes the draft; call inside a unit of work. */
    async publish(tenantId: string, version: number, at: string): Promise<boolean> {
      await db.updateTable('catalog_versions').set({ status: 'archived' }).where('tenant_id', '=', tenantId).where('status', '=', 'published').execute();
      const r = await versionRow(tenantId, version).set({ status: 'published', published_at: at }).executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    /** What the business has published, if anything. Treat the result as read-only: it is shared. */
    async published(tenantId: string): Promise<CatalogVersion | undefined> {
      const head = await publishedVersion.first(db, { tenantId });
      if (!head) return void cache.delete(tenantId);
      const cached = cache.get(tenantId);
      if (cached?.version === head.version) return cached;
      const row = await byStatus(tenantId, 'published');
      if (!row) return undefined;
      const fresh = Object.freeze(toVersion(row));
      cache.set(tenantId, fresh);
      return fresh;
    },
  };
}
