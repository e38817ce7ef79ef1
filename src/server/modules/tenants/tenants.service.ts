import { isUniqueViolation } from '../../storage/errors';
import { randomUUID } from 'node:crypto';
import { DEFAULT_TENANT_SETTINGS, type Tenant, type TenantListItem, type TenantSettings } from '../../../shared/schemas/tenants';
import type { Clock } from '../../clock';
import { HttpError, conflict, forbidden, notFound } from '../../errors';
import type { AuthContext } from '../../http/context';
import { hashPassword } from '../auth/passwords';
import { DEFAULT_PERSONA } from '../demo/demo.seed';
import type { PersonasRepo } from '../personas/personas.repo';
import type { PricebookRepo } from '../pricebook/pricebook.repo';
import type { TeamRepo } from '../team/team.repo';
import type { TeamService } from '../team/team.service';
import type { UnitOfWork } from '../../storage/unit-of-work';
import { newPublishableKey, type WidgetKeysRepo } from '../widget-keys/widget-keys.repo';
import { findBusiness } from './tenant-scope';
import { toTenant, type TenantRow, type TenantsRepo } from './tenants.repo';

export type TenantsService = ReturnType<typeof createTenantsService>;

/**
 * The settings after `patch`, with `consent_version` the server's own (issue #22): a client's
 * value is ignored; it goes up by one whenever the notice's text or the policy address changes,
 * so visitors who accepted an older notice are asked again.
 */
export function withConsentVersion(before: TenantSettings, patch: Partial<TenantSettings> = {}): TenantSettings {
  const { consent_version: _ignored, ...rest } = patch;
  const after: TenantSettings = { ...before, ...rest };
  const notice = (s: TenantSettings) => JSON.stringify([s.consent_notice?.en ?? '', s.consent_notice?.it ?? '', s.privacy_policy_url ?? '']);
  const version = before.consent_version ?? 0;
  return notice(after) === notice(before) ? { ...after, ...(before.consent_version === undefined ? {} : { consent_version: version }) } : { ...after, consent_version: version + 1 };
}

export function createTenantsService(deps: {
  repo: TenantsRepo;
  pricebook: PricebookRepo;
  team: TeamService;
  uow: UnitOfWork<{ team: TeamRepo; tenants: TenantsRepo; keys: WidgetKeysRepo; personas: PersonasRepo }>;
  clock: Clock;
}) {
  const { repo, uow, clock } = deps;
  const assertPlan = async (planId: string) => {
    if (!(await deps.pricebook.published())?.plans.some((p) => p.id === planId)) {
      throw new HttpError(400, 'invalid_request', `"${planId}" is not a plan of the published pricebook`, [{ path: ['body', 'plan_id'], message: 'unknown plan' }]);
    }
  };

  /** Owners change their business's name and settings; only platform admins change the plan. */
  async function update(auth: AuthContext, ip: string, tenant: TenantRow, patch: { name?: string; plan_id?: string; settings?: Partial<TenantSettings> }): Promise<Tenant> {
    if (patch.plan_id && patch.plan_id !== tenant.plan_id) {
      if (auth.role !== 'admin') throw forbidden('Only the platform can change a plan');
      await assertPlan(patch.plan_id);
    }
    const before = toTenant(tenant);
    const settings = withConsentVersion(before.settings, patch.settings);
    return uow.run(async ({ tenants, audit }) => {
      await tenants.update({ id: tenant.id, name: patch.name ?? tenant.name, plan_id: patch.plan_id ?? tenant.plan_id, settings, at: clock.now().toISOString() });
      const after = toTenant((await tenants.byId(tenant.id))!);
      audit({ tenantId: tenant.id, actorId: auth.userId, actorEmail: auth.email, action: 'tenant.updated', targetType: 'tenant', targetId: tenant.id, before, after, ip });
      return after;
    });
  }

  return {
    /** One page of businesses by slug, each with its owner and this month's conversations and credits. */
    async list(afterSlug: string, limit: number): Promise<TenantListItem[]> {
      const month = clock.now().toISOString().slice(0, 7);
      const plans = (await deps.pricebook.published())?.plans ?? [];
      return (await repo.summaries(afterSlug, limit, month)).map((r) => ({
        ...toTenant(r),
        owner: r.owner_id ? { id: r.owner_id, name: r.owner_name!, email: r.owner_email! } : null,
        usage: { month, conversations: r.conversations, credits_used: r.credits_used, credits_allowance: plans.find((p) => p.id === r.plan_id)?.credits_month ?? 0 },
      }));
    },

    /** The platform moves a business (named by id or slug) to another plan of the published pricebook. */
    async changePlan(auth: AuthContext, ip: string, ref: string, planId: string): Promise<Tenant> {
      const tenant = await findBusiness(repo, ref);
      if (!tenant) throw notFound('Business');
      return update(auth, ip, tenant, { plan_id: planId });
    },

    /** A business with its owner, default persona and a live widget key (empty allowlist until onboarding). */
    async create(auth: AuthContext, ip: string, input: { name: string; slug: string; plan_id: string; owner_email: string; owner_name?: string; owner_password?: string }) {
      await assertPlan(input.plan_id);
      if (await repo.bySlug(input.slug)) throw conflict('slug_taken', `The id "${input.slug}" is taken`);
      const passwordHash = input.owner_password ? await hashPassword(input.owner_password) : null;
      // The business, its owner, persona, widget key, audit record and the owner's invite: one transaction.
      return uow.run(async (tx) => {
        const at = clock.now().toISOString();
        const tenantId = randomUUID();
        const ownerId = randomUUID();
        const keyId = randomUUID();
        const key = newPublishableKey('live');
        await tx.tenants.insertTenant({ id: tenantId, slug: input.slug, name: input.name, plan_id: input.plan_id, is_platform: false, settings: DEFAULT_TENANT_SETTINGS, at });
        try {
          await tx.tenants.insertUser({ id: ownerId, tenant_id: tenantId, email: input.owner_email, name: input.owner_name ?? input.name, role: 'owner', password_hash: passwordHash, at });
        } catch (err) {
          if (isUniqueViolation(err)) throw conflict('email_taken', 'Someone already uses this email in Bob');
          throw err;
        }
        await tx.personas.insert({ id: randomUUID(), tenant_id: tenantId, ...DEFAULT_PERSONA, is_default: true, at, actor_id: auth.userId });
        await tx.keys.insert({ id: keyId, tenant_id: tenantId, key, label: 'Website', mode: 'live', allowed_origins: [], at });
        const tenant = toTenant((await tx.tenants.byId(tenantId))!);
        tx.audit({ tenantId: auth.tenantId, actorId: auth.userId, actorEmail: auth.email, action: 'tenant.created', targetType: 'tenant', targetId: tenantId, after: { ...tenant, owner_email: input.owner_email }, ip });
        const inviteUrl = passwordHash ? null : await deps.team.issueInvite(tx.team, ownerId, tenantId);
        return { tenant, owner: { id: ownerId, email: input.owner_email.toLowerCase(), invite_url: inviteUrl }, widget_key: { id: keyId, key } };
      });
    },

    update,
  };
}
