import { randomBytes } from 'node:crypto';
import type { Db } from '../../db/client';

export type KeyMode = 'live' | 'test';

export interface WidgetKeyRow {
  id: string;
  tenant_id: string;
  key: string;
  label: string;
  mode: KeyMode;
  allowed_origins: string;
  status: 'active' | 'revoked';
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  expires_at: string | null;
}

export function newPublishableKey(mode: KeyMode): string {
  return `pk_${mode}_${randomBytes(24).toString('base64url')}`;
}

export type WidgetKeysRepo = ReturnType<typeof createWidgetKeysRepo>;

export function createWidgetKeysRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO widget_keys (id, tenant_id, key, label, mode, allowed_origins, status, created_at)
     VALUES (@id, @tenant_id, @key, @label, @mode, @allowed_origins, 'active', @at)`,
  );
  const byKey = db.prepare<[string], WidgetKeyRow>('SELECT * FROM widget_keys WHERE key = ?');
  const forTenant = db.prepare<[string], WidgetKeyRow>('SELECT * FROM widget_keys WHERE tenant_id = ? ORDER BY created_at, id');
  const activeOrigins = db.prepare("SELECT allowed_origins FROM widget_keys WHERE status = 'active'").pluck();
  const touch = db.prepare('UPDATE widget_keys SET last_used_at = ? WHERE id = ?');
  const byId = db.prepare<[string, string], WidgetKeyRow>('SELECT * FROM widget_keys WHERE tenant_id = ? AND id = ?');
  const update = db.prepare('UPDATE widget_keys SET label = ?, allowed_origins = ? WHERE tenant_id = ? AND id = ?');
  const revoke = db.prepare(`UPDATE widget_keys SET status = 'revoked', revoked_at = ? WHERE tenant_id = ? AND id = ? AND status = 'active'`);
  const expire = db.prepare('UPDATE widget_keys SET expires_at = ? WHERE tenant_id = ? AND id = ?');
  return {
    byId: (tenantId: string, id: string) => byId.get(tenantId, id),
    update: (tenantId: string, id: string, label: string, origins: string[]) => update.run(label, JSON.stringify(origins), tenantId, id),
    revoke: (tenantId: string, id: string, at: string) => revoke.run(at, tenantId, id).changes > 0,
    /** The key keeps working until `at` (rotation grace period). */
    expireAt: (tenantId: string, id: string, at: string) => expire.run(at, tenantId, id),
    byKey: (key: string) => byKey.get(key),
    forTenant: (tenantId: string) => forTenant.all(tenantId),
    /** Allowlists of every active key (for CORS preflights, which carry no key). */
    activeAllowlists: () => (activeOrigins.all() as string[]).map((j) => JSON.parse(j) as string[]),
    touch: (id: string, at: string) => touch.run(at, id),
    insert: (k: { id: string; tenant_id: string; key: string; label: string; mode: KeyMode; allowed_origins: string[]; at: string }) =>
      insert.run({ ...k, allowed_origins: JSON.stringify(k.allowed_origins) }),
  };
}
