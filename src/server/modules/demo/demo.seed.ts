import { randomUUID } from 'node:crypto';
import { DEFAULT_TENANT_SETTINGS } from '../../../shared/schemas/tenants';
import type { Role } from '../../../shared/permissions';
import type { CatalogItem } from '../../../shared/schemas/catalog';
import { hashPassword, verifyPassword } from '../auth/passwords';
import type { AuthRepo } from '../auth/auth.repo';
import type { Storage } from '../../storage/sqlite';
import type { SqlDialect } from '../../storage/dialect';
import { createAnswerTestsRepo, type TestFields } from '../answer-tests/answer-tests.repo';
import { createCatalogRepo } from '../catalog/catalog.repo';
import { createKnowledgeRepo } from '../knowledge/knowledge.repo';
import { splitPassages } from '../knowledge/passages';
import { createPersonasRepo } from '../personas/personas.repo';
import { createPricebookRepo } from '../pricebook/pricebook.repo';
import { PRICEBOOK_V1 } from '../pricebook/pricebook.seed';
import { createTenantsRepo } from '../tenants/tenants.repo';
import { createWidgetKeysRepo, newPublishableKey } from '../widget-keys/widget-keys.repo';
import { DEMO_BUSINESS_PROFILE } from './demo.profile';

// The demo logins are part of the seed's wire contract (existing clients and docs use them).
export const DEMO_ACCOUNTS: { tenantSlug: string; tenantName: string; plan: string; platform: boolean; email: string; password: string; name: string; role: Role }[] = [
  { tenantSlug: 'office16852-platform', tenantName: 'Office 16852', plan: 'enterprise', platform: true, email: 'admin@office16852.com', password: 'your_password', name: 'Office Admin', role: 'admin' },
  { tenantSlug: 'business-co', tenantName: 'Business Co', plan: 'pro', platform: false, email: 'customer@business.com', password: 'customer_password', name: 'Business Co Owner', role: 'owner' },
];

/**
 * scrypt hashes (`hashPassword`) of the published demo passwords above, computed once, so a fresh
 * data dir starts without running scrypt (about 80 ms of a start). They hash public passwords: the
 * fixed salt gives nothing away, and a changed password gets its own random salt.
 */
export const DEMO_PASSWORD_HASHES: Record<string, string> = {
  'admin@office16852.com': 'scrypt$16384$8$1$IIG1zC81IDA/F8zdNIvrmQ==$hJbJvYcbQ33FYqX4RjmhVI3VMAquDGpMo3DcIeEiaZTQGHQ3QHKqtxiBQtwJ1ra1Pi1g4wHtNclv6kOe086RYg==',
  'customer@business.com': 'scrypt$16384$8$1$AojWfoUxQqeAw5jz4iW7Rw==$T5/hR+mTbA5nQwiDz7LSZ2juvNE/DV0ehFapyLzQ5VCNjKJwwcQAJKNxCMbRvm4qBxM0b4tzOBCAcHbrvMacWQ==',
};

/** Business Co's published catalog V1 (EUR); the platform tenant has none: it sells the plans of the pricebook. */
export const DEMO_CATALOG: { tenantSlug: string; currency: string; items: CatalogItem[] } = {
  tenantSlug: 'business-co',
  currency: 'EUR',
  items: [
    { id: 'initial-consultation', name: 'Initial consultation', category: 'Consulting', description: null, unit: 'per hour', price: 90, options: [], available: true },
    { id: 'monthly-bookkeeping', name: 'Monthly bookkeeping', category: 'Accounting', description: null, unit: 'per month', price: 290, options: [], available: true },
    { id: 'tax-return', name: 'Tax return', category: 'Accounting', description: null, unit: 'each', price: 180, options: [], available: true },
    {
      id: 'payroll',
      name: 'Payroll',
      category: 'Accounting',
      description: null,
      unit: 'per month',
      price: 120,
      options: [
        { name: 'up to 5 employees', price: 120 },
        { name: '6–20 employees', price: 240 },
      ],
      available: true,
    },
    { id: 'company-formation', name: 'Company formation', category: 'Consulting', description: null, unit: null, price: null, options: [], available: true },
    { id: 'business-plan-review', name: 'Business plan review', category: 'Consulting', description: null, unit: 'each', price: 150, options: [], available: false },
  ],
};

/** Business Co's one knowledge document: Bob quotes it and names it ("(from: Appointments)"). */
export const DEMO_DOCUMENT = {
  title: 'Appointments',
  content:
    '# Appointments\n\n' +
    'You can cancel or move an appointment free of charge up to 24 hours before it starts: reply to the confirmation email or call us.\n\n' +
    'Please bring an identity document and your tax code (codice fiscale) to the first meeting. For a tax return, also bring last year\'s return and your receipts.\n',
};

/** Business Co's answer tests: one per kind of answer (catalog, document, a person). */
export const DEMO_ANSWER_TESTS: TestFields[] = [
  { question: 'How much is a tax return?', language: null, must_include: ['€180'], must_not_include: [], expect: 'answer' },
  { question: 'Can I cancel my appointment?', language: null, must_include: ['24 hours'], must_not_include: [], expect: 'answer' },
  { question: 'I want to talk to a person', language: null, must_include: [], must_not_include: [], expect: 'handoff' },
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
 * Seeds the demo tenants, users, pricebook V1, default personas, widget keys and Business Co's
 * catalog, a knowledge document and answer tests on an empty database. Runs in one transaction and only when there are no tenants yet,
 * so restarts never duplicate rows (and a demo row deleted by an admin stays deleted).
 */
export async function seedDemoData(storage: Storage, dialect: SqlDialect, now: Date): Promise<boolean> {
  if ((await createTenantsRepo(storage).count()) > 0) return false;
  // Hash outside the transaction: better-sqlite3 transactions must be synchronous.
  const hashes = await Promise.all(DEMO_ACCOUNTS.map((a) => DEMO_PASSWORD_HASHES[a.email] ?? hashPassword(a.password)));
  const at = now.toISOString();

  // One transaction, before the server listens, so nothing else runs meanwhile; instances
  // starting together on one database take turns, and the later ones find the tenants.
  return storage.transaction().execute(async (trx) => {
    await dialect.takeTurns(trx, 'demo-seed');
    const pricebook = createPricebookRepo(trx);
    const catalog = createCatalogRepo(trx);
    const answerTests = createAnswerTestsRepo(trx);
    const personas = createPersonasRepo(trx);
    const knowledge = createKnowledgeRepo(trx, dialect);
    const tenants = createTenantsRepo(trx);
    const keys = createWidgetKeysRepo(trx);
    if ((await tenants.count()) > 0) return false;
    await pricebook.insert({ version: 1, status: 'published', published_at: at, ...PRICEBOOK_V1, at, created_by: null });
    for (const [i, a] of DEMO_ACCOUNTS.entries()) {
      const tenantId = randomUUID();
      await tenants.insertTenant({ id: tenantId, slug: a.tenantSlug, name: a.tenantName, plan_id: a.plan, is_platform: a.platform, settings: a.platform ? DEFAULT_TENANT_SETTINGS : { ...DEFAULT_TENANT_SETTINGS, ...DEMO_BUSINESS_PROFILE }, at });
      await tenants.insertUser({ id: randomUUID(), tenant_id: tenantId, email: a.email, name: a.name, role: a.role, password_hash: hashes[i]!, at });
      await personas.insert({ id: randomUUID(), tenant_id: tenantId, ...DEFAULT_PERSONA, is_default: true, at, actor_id: null });
      await keys.insert({ id: randomUUID(), tenant_id: tenantId, key: newPublishableKey('live'), label: 'Demo key (localhost)', mode: 'live', allowed_origins: DEMO_ALLOWED_ORIGINS, at });
      if (a.tenantSlug === DEMO_CATALOG.tenantSlug) {
        const { currency, items } = DEMO_CATALOG;
        await catalog.insert(tenantId, { version: 1, status: 'published', currency, items, created_at: at, published_at: at }, null);
        const { title, content } = DEMO_DOCUMENT;
        await knowledge.insert({ id: randomUUID(), tenant_id: tenantId, title, type: 'markdown', source_url: null, size: Buffer.byteLength(content), content, created_by: null, fetched_at: null, at }, splitPassages(content));
        for (const t of DEMO_ANSWER_TESTS) await answerTests.insert(tenantId, randomUUID(), t, at);
      }
    }
    return true;
  });
}

/** Emails of demo accounts whose password is still the published demo one. */
export async function accountsWithDemoPasswords(repo: AuthRepo): Promise<string[]> {
  const checks = await Promise.all(
    DEMO_ACCOUNTS.map(async (a) => {
      const hash = (await repo.userByEmail(a.email))?.password_hash;
      return hash && (await verifyPassword(a.password, hash)) ? a.email : null;
    }),
  );
  return checks.filter((e): e is string => e !== null);
}
