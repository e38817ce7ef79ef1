import type { Db } from '../../db/client';
import type { CatalogItem, CatalogVersion } from '../../../shared/schemas/catalog';

interface CatalogRow {
  version: number;
  status: CatalogVersion['status'];
  currency: string;
  items: string;
  created_at: string;
  published_at: string | null;
}

const COLUMNS = 'version, status, currency, items, created_at, published_at';

const toVersion = (r: CatalogRow): CatalogVersion => ({
  version: r.version,
  status: r.status,
  currency: r.currency,
  items: JSON.parse(r.items) as CatalogItem[],
  created_at: r.created_at,
  published_at: r.published_at,
});

export type CatalogRepo = ReturnType<typeof createCatalogRepo>;

export function createCatalogRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO catalog_versions (tenant_id, version, status, currency, items, created_at, published_at, created_by)
     VALUES (@tenant_id, @version, @status, @currency, @items, @created_at, @published_at, @created_by)`,
  );
  const all = db.prepare<[string], CatalogRow>(`SELECT ${COLUMNS} FROM catalog_versions WHERE tenant_id = ? ORDER BY version DESC`);
  const one = db.prepare<[string, number], CatalogRow>(`SELECT ${COLUMNS} FROM catalog_versions WHERE tenant_id = ? AND version = ?`);
  const byStatus = db.prepare<[string, CatalogVersion['status']], CatalogRow>(`SELECT ${COLUMNS} FROM catalog_versions WHERE tenant_id = ? AND status = ?`);
  const publishedHead = db.prepare<[string], { version: number }>(`SELECT version FROM catalog_versions WHERE tenant_id = ? AND status = 'published'`);
  const nextVersion = db.prepare<[string], number>('SELECT COALESCE(MAX(version), 0) + 1 FROM catalog_versions WHERE tenant_id = ?').pluck();
  const update = db.prepare(
    `UPDATE catalog_versions SET currency = @currency, items = @items WHERE tenant_id = @tenant_id AND version = @version AND status = 'draft'`,
  );
  const archivePublished = db.prepare(`UPDATE catalog_versions SET status = 'archived' WHERE tenant_id = ? AND status = 'published'`);
  const publish = db.prepare(`UPDATE catalog_versions SET status = 'published', published_at = ? WHERE tenant_id = ? AND version = ? AND status = 'draft'`);

  // The responder reads the published catalog on every message. A published version never
  // changes, so its parsed form is kept per tenant and reused while it is still the published
  // one: each read costs one indexed lookup, and no invalidation can be missed (a rollback, or a
  // publish by another process on the same database).
  const cache = new Map<string, CatalogVersion>();

  return {
    list: (tenantId: string) => all.all(tenantId).map(toVersion),
    get: (tenantId: string, version: number) => {
      const row = one.get(tenantId, version);
      return row && toVersion(row);
    },
    draft: (tenantId: string) => {
      const row = byStatus.get(tenantId, 'draft');
      return row && toVersion(row);
    },
    nextVersion: (tenantId: string) => nextVersion.get(tenantId) as number,
    insert: (tenantId: string, v: CatalogVersion, createdBy: string | null) =>
      insert.run({ ...v, tenant_id: tenantId, items: JSON.stringify(v.items), created_by: createdBy }),
    updateDraft: (tenantId: string, v: Pick<CatalogVersion, 'version' | 'currency' | 'items'>) =>
      update.run({ tenant_id: tenantId, version: v.version, currency: v.currency, items: JSON.stringify(v.items) }).changes > 0,
    /** Archives the published version and publishes the draft; call inside a transaction. */
    publish(tenantId: string, version: number, at: string): boolean {
      archivePublished.run(tenantId);
      return publish.run(at, tenantId, version).changes > 0;
    },
    /** What the business has published, if anything. Treat the result as read-only: it is shared. */
    published(tenantId: string): CatalogVersion | undefined {
      const head = publishedHead.get(tenantId);
      if (!head) return void cache.delete(tenantId);
      const cached = cache.get(tenantId);
      if (cached?.version === head.version) return cached;
      const row = byStatus.get(tenantId, 'published');
      if (!row) return undefined;
      const fresh = Object.freeze(toVersion(row));
      cache.set(tenantId, fresh);
      return fresh;
    },
  };
}
