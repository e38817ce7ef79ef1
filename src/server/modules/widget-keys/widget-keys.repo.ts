import { randomBytes } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { WidgetKeysTable } from '../../storage/schema';
import { compiledQuery } from '../../storage/compiled';
import type { Storage } from '../../storage/sqlite';

export type KeyMode = 'live' | 'test';

/** A widget key as stored, its allowlist parsed. */
export type WidgetKeyRow = Omit<Selectable<WidgetKeysTable>, 'allowed_origins'> & { allowed_origins: string[] };

/** An identity secret: the whole string is the HS256 key (any JWT library signs with it as text). */
export function newIdentitySecret(): string {
  return `bobid_${randomBytes(32).toString('base64url')}`;
}

export function newPublishableKey(mode: KeyMode): string {
  return `pk_${mode}_${randomBytes(24).toString('base64url')}`;
}

const parse = (r: Selectable<WidgetKeysTable>): WidgetKeyRow => ({ ...r, allowed_origins: JSON.parse(r.allowed_origins) as string[] });

export type WidgetKeysRepo = ReturnType<typeof createWidgetKeysRepo>;

const byKeyQuery = compiledQuery((db, a: { key: string }) => db.selectFrom('widget_keys').selectAll().where('key', '=', a.key));

export function createWidgetKeysRepo(db: Storage) {
  const keys = () => db.selectFrom('widget_keys').selectAll();
  const one = async (q: ReturnType<typeof keys>) => {
    const r = await q.executeTakeFirst();
    return r && parse(r);
  };
  return {
    byId: (tenantId: string, id: string) => one(keys().where('tenant_id', '=', tenantId).where('id', '=', id)),
    update: async (tenantId: string, id: string, label: string, origins: string[]) => {
      await db.updateTable('widget_keys').set({ label, allowed_origins: JSON.stringify(origins) }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    revoke: async (tenantId: string, id: string, at: string) => {
      const r = await db
        .updateTable('widget_keys')
        .set({ status: 'revoked', revoked_at: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .where('status', '=', 'active')
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    /** A new identity secret: tokens signed with the previous one stop verifying at once. */
    setIdentity: async (tenantId: string, id: string, identity: { secret?: string | null; required?: boolean }) => {
      await db
        .updateTable('widget_keys')
        .set({
          ...(identity.secret !== undefined && { identity_secret: identity.secret }),
          ...(identity.required !== undefined && { identity_required: identity.required ? 1 : 0 }),
        })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', id)
        .execute();
    },
    /** The key keeps working until `at` (rotation grace period). */
    expireAt: async (tenantId: string, id: string, at: string) => {
      await db.updateTable('widget_keys').set({ expires_at: at }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    /** The key an embed sends, on every widget request (compiled once). */
    byKey: async (key: string) => {
      const r = await byKeyQuery.first(db, { key });
      return r && parse(r);
    },
    forTenant: async (tenantId: string) => (await keys().where('tenant_id', '=', tenantId).orderBy('created_at').orderBy('id').execute()).map(parse),
    /** Allowlists of every active key (for CORS preflights, which carry no key). */
    activeAllowlists: async () =>
      (await db.selectFrom('widget_keys').select('allowed_origins').where('status', '=', 'active').execute()).map((r) => JSON.parse(r.allowed_origins) as string[]),
    touch: async (id: string, at: string) => {
      await db.updateTable('widget_keys').set({ last_used_at: at }).where('id', '=', id).execute();
    },
    insert: async (k: { id: string; tenant_id: string; key: string; label: string; mode: KeyMode; allowed_origins: string[]; at: string }) => {
      const { at, ...key } = k;
      await db
        .insertInto('widget_keys')
        .values({ ...key, allowed_origins: JSON.stringify(k.allowed_origins), status: 'active', created_at: at })
        .execute();
    },
  };
}
