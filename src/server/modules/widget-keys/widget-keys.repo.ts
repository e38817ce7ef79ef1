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
  return {
    insert: (k: { id: string; tenant_id: string; key: string; label: string; mode: KeyMode; allowed_origins: string[]; at: string }) =>
      insert.run({ ...k, allowed_origins: JSON.stringify(k.allowed_origins) }),
  };
}
