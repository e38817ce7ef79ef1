import type { Db } from '../../db/client';
import type { Role } from '../../../shared/permissions';
import { DEFAULT_TENANT_SETTINGS, type Tenant, type TenantSettings } from '../../../shared/schemas/tenants';

export interface TenantRow {
  id: string;
  slug: string;
  name: string;
  plan_id: string;
  is_platform: 0 | 1;
  settings: string;
  created_at: string;
  updated_at: string;
}

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

export function createTenantsRepo(db: Db) {
  const insertTenant = db.prepare(
    `INSERT INTO tenants (id, slug, name, plan_id, is_platform, settings, created_at, updated_at)
     VALUES (@id, @slug, @name, @plan_id, @is_platform, @settings, @at, @at)`,
  );
  const insertUser = db.prepare(
    `INSERT INTO users (id, tenant_id, email, name, role, password_hash, created_at, updated_at)
     VALUES (@id, @tenant_id, @email, @name, @role, @password_hash, @at, @at)`,
  );
  const bySlug = db.prepare<[string], TenantRow>('SELECT * FROM tenants WHERE slug = ?');
  const byId = db.prepare<[string], TenantRow>('SELECT * FROM tenants WHERE id = ?');
  const platform = db.prepare<[], TenantRow>('SELECT * FROM tenants WHERE is_platform = 1 ORDER BY created_at, id LIMIT 1');
  const count = db.prepare('SELECT COUNT(*) FROM tenants').pluck();
  const update = db.prepare('UPDATE tenants SET name = ?, plan_id = ?, settings = ?, updated_at = ? WHERE id = ?');
  const page = db.prepare<[string, number], TenantRow>('SELECT * FROM tenants WHERE slug > ? ORDER BY slug LIMIT ?');
  // The oldest owner if a business ever had two; conversations counted as the Usage page counts them (all channels).
  const summaries = db.prepare<{ after: string; limit: number; month: string; from: string; to: string }, TenantSummaryRow>(`
    SELECT t.*,
           o.id AS owner_id, o.name AS owner_name, o.email AS owner_email,
           (SELECT COUNT(*) FROM chat_sessions s WHERE s.tenant_id = t.id AND s.created_at >= @from AND s.created_at < @to) AS conversations,
           COALESCE((SELECT used FROM credit_usage c WHERE c.tenant_id = t.id AND c.month = @month), 0) AS credits_used
      FROM tenants t
      LEFT JOIN users o ON o.id = (SELECT id FROM users WHERE tenant_id = t.id AND role = 'owner' ORDER BY created_at LIMIT 1)
     WHERE t.slug > @after
     ORDER BY t.slug
     LIMIT @limit`);

  return {
    insertTenant: (t: { id: string; slug: string; name: string; plan_id: string; is_platform: boolean; settings: TenantSettings; at: string }) =>
      insertTenant.run({ ...t, is_platform: t.is_platform ? 1 : 0, settings: JSON.stringify(t.settings) }),
    insertUser: (u: { id: string; tenant_id: string; email: string; name: string; role: Role; password_hash: string | null; at: string }) =>
      insertUser.run({ ...u, email: u.email.toLowerCase() }),
    bySlug: (slug: string) => bySlug.get(slug),
    byId: (id: string) => byId.get(id),
    /** The platform's own business (the one that sells Bob). */
    platform: () => platform.get(),
    count: () => count.get() as number,
    update: (t: { id: string; name: string; plan_id: string; settings: TenantSettings; at: string }) => update.run(t.name, t.plan_id, JSON.stringify(t.settings), t.at, t.id),
    /** Tenants ordered by slug, after `afterSlug` (keyset pagination). */
    page: (afterSlug: string, limit: number) => page.all(afterSlug, limit),
    /** The same page with each tenant's owner and its counters for `month` (YYYY-MM, UTC). */
    summaries: (afterSlug: string, limit: number, month: string) => {
      const [y, m] = month.split('-').map(Number) as [number, number];
      const to = new Date(Date.UTC(y, m, 1)).toISOString().slice(0, 7);
      return summaries.all({ after: afterSlug, limit, month, from: `${month}-01`, to: `${to}-01` });
    },
  };
}
