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
  return {
    byKey: (key: string) => byKey.get(key),
    forTenant: (tenantId: string) => forTenant.all(tenantId),
    /** Allowlists of every active key (for CORS preflights, which carry no key). */
    activeAllowlists: () => (activeOrigins.all() as string[]).map((j) => JSON.parse(j) as string[]),
    touch: (id: string, at: string) => touch.run(at, id),
    insert: (k: { id: string; tenant_id: string; key: string; label: string; mode: KeyMode; allowed_origins: string[]; at: string }) =>
      insert.run({ ...k, allowed_origins: JSON.stringify(k.allowed_origins) }),
  };
}
