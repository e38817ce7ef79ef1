import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/client';
import { DEFAULT_TENANT_SETTINGS } from '../../../shared/schemas/tenants';
import type { Role } from '../../../shared/permissions';
import { hashPassword, verifyPassword } from '../auth/passwords';
import type { AuthRepo } from '../auth/auth.repo';
import { createPersonasRepo } from '../personas/personas.repo';
import { createPricebookRepo } from '../pricebook/pricebook.repo';
import { PRICEBOOK_V1 } from '../pricebook/pricebook.seed';
import { createTenantsRepo } from '../tenants/tenants.repo';
import { createWidgetKeysRepo, newPublishableKey } from '../widget-keys/widget-keys.repo';

// The demo logins are part of the seed's wire contract (existing clients and docs use them).
export const DEMO_ACCOUNTS: { tenantSlug: string; tenantName: string; plan: string; platform: boolean; email: string; password: string; name: string; role: Role }[] = [
  { tenantSlug: 'office16852-platform', tenantName: 'Office 16852', plan: 'enterprise', platform: true, email: 'admin@office16852.com', password: 'your_password', name: 'Office Admin', role: 'admin' },
  { tenantSlug: 'business-co', tenantName: 'Business Co', plan: 'pro', platform: false, email: 'customer@business.com', password: 'customer_password', name: 'Business Co Owner', role: 'owner' },
];

export const DEMO_ALLOWED_ORIGINS = ['http://localhost:*', 'http://127.0.0.1:*'];

export const DEFAULT_PERSONA = {
  name: 'Bob',
  description: 'The front-office assistant: answers questions about plans and prices, and brings in a person when needed.',
  tone: 'friendly',
  system_prompt:
    'You are Bob, the front-office assistant of this business. Be brief, warm and precise. ' +
    'Quote only the published prices. When you do not know, say so and offer to bring in a person.',
};

/**
 * Seeds the demo tenants, users, pricebook V1, default personas and widget keys on an empty
 * database. Runs in one transaction and only when there are no tenants yet, so restarts never
 * duplicate rows (and a demo row deleted by an admin stays deleted).
 */
export async function seedDemoData(db: Db, now: Date): Promise<boolean> {
  const tenants = createTenantsRepo(db);
  if (tenants.count() > 0) return false;
  // Hash outside the transaction: better-sqlite3 transactions must be synchronous.
  const hashes = await Promise.all(DEMO_ACCOUNTS.map((a) => hashPassword(a.password)));
  const personas = createPersonasRepo(db);
  const keys = createWidgetKeysRepo(db);
  const pricebook = createPricebookRepo(db);
  const at = now.toISOString();

  return db.transaction(() => {
    if (tenants.count() > 0) return false;
    pricebook.insert({ version: 1, status: 'published', published_at: at, ...PRICEBOOK_V1, at, created_by: null });
    DEMO_ACCOUNTS.forEach((a, i) => {
      const tenantId = randomUUID();
      tenants.insertTenant({ id: tenantId, slug: a.tenantSlug, name: a.tenantName, plan_id: a.plan, is_platform: a.platform, settings: DEFAULT_TENANT_SETTINGS, at });
      tenants.insertUser({ id: randomUUID(), tenant_id: tenantId, email: a.email, name: a.name, role: a.role, password_hash: hashes[i]!, at });
      personas.insert({ id: randomUUID(), tenant_id: tenantId, ...DEFAULT_PERSONA, is_default: true, at, actor_id: null });
      keys.insert({ id: randomUUID(), tenant_id: tenantId, key: newPublishableKey('live'), label: 'Demo key (localhost)', mode: 'live', allowed_origins: DEMO_ALLOWED_ORIGINS, at });
    });
    return true;
  })();
}

/** Emails of demo accounts whose password is still the published demo one. */
export async function accountsWithDemoPasswords(repo: AuthRepo): Promise<string[]> {
  const checks = await Promise.all(
    DEMO_ACCOUNTS.map(async (a) => {
      const hash = repo.userByEmail(a.email)?.password_hash;
      return hash && (await verifyPassword(a.password, hash)) ? a.email : null;
    }),
  );
  return checks.filter((e): e is string => e !== null);
}
