import type { Selectable } from 'kysely';
import type { Role } from '../../../shared/permissions';
import { DEFAULT_TENANT_SETTINGS, type Tenant, type TenantSettings } from '../../../shared/schemas/tenants';
import type { TenantsTable } from '../../storage/schema';
import { compiledQuery } from '../../storage/compiled';
import { dialectOf } from '../../storage/dialect';
import type { Storage } from '../../storage/sqlite';

/** A tenant as stored; `settingsOf` parses its settings (once per stored JSON, for the chat path). */
export type TenantRow = Selectable<TenantsTable>;

/** A tenant's settings, with the defaults of settings added since it was created. */
// Settings are read on every visitor message: each stored JSON is parsed once (the recent few kept).
const parsedSettings = new Map<string, Readonly<TenantSettings>>();
const PARSED_SETTINGS_MAX = 256;
const deepFreeze = <T>(value: T): T => {
  if (value && typeof value === 'object') for (const v of Object.values(Object.freeze(value))) deepFreeze(v);
  return value;
};

/** A tenant's settings with the defaults filled in. Read-only: the object is shared (and frozen). */
export const settingsOf = (r: Pick<TenantRow, 'settings'>): Readonly<TenantSettings> => {
  let parsed = parsedSettings.get(r.settings);
  if (!parsed) {
    parsed = deepFreeze({ ...DEFAULT_TENANT_SETTINGS, ...(JSON.parse(r.settings) as TenantSettings) });
    if (parsedSettings.size >= PARSED_SETTINGS_MAX) parsedSettings.delete(parsedSettings.keys().next().value!);
    parsedSettings.set(r.settings, parsed);
  }
  return parsed;
};

export function toTenant(r: TenantRow): Tenant {
  return { id: r.id, slug: r.slug, name: r.name, plan_id: r.plan_id, is_platform: r.is_platform === 1, settings: settingsOf(r), created_at: r.created_at };
}

/** A tenant with its owner and this month's counters, as the platform admin's list shows it. */
export interface TenantSummaryRow extends TenantRow {
  owner_id: string | null;
  owner_name: string | null;
  owner_email: string | null;
  conversations: number;
  credits_used: number;
}

export type TenantsRepo = ReturnType<typeof createTenantsRepo>;

// Read on every visitor message (the widget's key names the id; POST /api/chat, the slug or id): compiled once.
const byIdQuery = compiledQuery((db, a: { id: string }) => db.selectFrom('tenants').selectAll().where('id', '=', a.id));
const bySlugQuery = compiledQuery((db, a: { slug: string }) => db.selectFrom('tenants').selectAll().where('slug', '=', a.slug));

export function createTenantsRepo(db: Storage) {
  const tenants = () => db.selectFrom('tenants').selectAll();
  return {
    /**
     * For the rest of this run, other runs checking the same business's plan limits (seats,
     * integrations, answer tests) wait: with several instances on one database, two checks could
     * otherwise both pass and go one over the limit. SQLite's runs already take turns.
     */
    holdLimits: (tenantId: string) => dialectOf(db).takeTurns(db, `limits:${tenantId}`),
    insertTenant: async (t: { id: string; slug: string; name: string; plan_id: string; is_platform: boolean; settings: TenantSettings; at: string }) => {
      const { at, ...tenant } = t;
      await db
        .insertInto('tenants')
        .values({ ...tenant, is_platform: t.is_platform ? 1 : 0, settings: JSON.stringify(t.settings), created_at: at, updated_at: at })
        .execute();
    },
    insertUser: async (u: { id: string; tenant_id: string; email: string; name: string; role: Role; password_hash: string | null; at: string }) => {
      const { at, ...user } = u;
      await db
        .insertInto('users')
        .values({ ...user, email: u.email.toLowerCase(), created_at: at, updated_at: at })
        .execute();
    },
    bySlug: (slug: string): Promise<TenantRow | undefined> => bySlugQuery.first(db, { slug }),
    byId: (id: string): Promise<TenantRow | undefined> => byIdQuery.first(db, { id }),
    /** The platform's own business (the one that sells Bob). */
    platform: (): Promise<TenantRow | undefined> => tenants().where('is_platform', '=', 1).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst(),
    count: async () => (await db.selectFrom('tenants').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n,
    update: async (t: { id: string; name: string; plan_id: string; settings: TenantSettings; at: string }) => {
      await db.updateTable('tenants').set({ name: t.name, plan_id: t.plan_id, settings: JSON.stringify(t.settings), updated_at: t.at }).where('id', '=', t.id).execute();
    },
    /** Tenants ordered by slug, after `afterSlug` (keyset pagination). */
    page: (afterSlug: string, limit: number): Promise<TenantRow[]> => tenants().where('slug', '>', afterSlug).orderBy('slug').limit(limit).execute(),
    /** The same page with each tenant's owner and its counters for `month` (YYYY-MM, UTC). */
    summaries: (afterSlug: string, limit: number, month: string): Promise<TenantSummaryRow[]> => {
      const [y, m] = month.split('-').map(Number) as [number, number];
      const from = `${month}-01`;
      const to = `${new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7)}-01`;
      // The oldest owner if a business ever had two; conversations counted as the Usage page counts them (all channels).
      return db
        .selectFrom('tenants as t')
        .leftJoin('users as o', (join) =>
          join.on((eb) =>
            eb('o.id', '=', eb.selectFrom('users as u').select('u.id').whereRef('u.tenant_id', '=', 't.id').where('u.role', '=', 'owner').orderBy('u.created_at').limit(1)),
          ),
        )
        .selectAll('t')
        .select((eb) => [
          'o.id as owner_id',
          'o.name as owner_name',
          'o.email as owner_email',
          eb
            .selectFrom('chat_sessions as s')
            .select((s) => s.fn.countAll<number>().as('n'))
            .whereRef('s.tenant_id', '=', 't.id')
            .where('s.created_at', '>=', from)
            .where('s.created_at', '<', to)
            .$asScalar()
            .$notNull()
            .as('conversations'),
          eb.fn
            .coalesce(eb.selectFrom('credit_usage as c').select('c.used').whereRef('c.tenant_id', '=', 't.id').where('c.month', '=', month).$asScalar(), eb.lit(0))
            .as('credits_used'),
        ])
        .where('t.slug', '>', afterSlug)
        .orderBy('t.slug')
        .limit(limit)
        .execute();
    },
  };
}
