import { isUniqueViolation } from '../../storage/errors';
import { randomBytes, randomUUID } from 'node:crypto';
import type { Role } from '../../../shared/permissions';
import type { TeamMember } from '../../../shared/schemas/team';
import type { Clock } from '../../clock';
import { HttpError, conflict, notFound } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { UnitOfWork } from '../../storage/unit-of-work';
import type { Audit } from '../audit/audit.repo';
import { hashToken } from '../auth/auth.service';
import { hashPassword } from '../auth/passwords';
import type { PricebookRepo } from '../pricebook/pricebook.repo';
import type { TenantRow, TenantsRepo } from '../tenants/tenants.repo';
import type { MemberRow, TeamRepo } from './team.repo';

export const INVITE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

export const toMember = (m: MemberRow): TeamMember => ({
  id: m.id,
  email: m.email,
  name: m.name,
  role: m.role,
  status: m.disabled_at ? 'disabled' : m.password_hash ? 'active' : 'invited',
  created_at: m.created_at,
});

export type TeamService = ReturnType<typeof createTeamService>;

export function createTeamService(deps: {
  /** Reads outside a unit of work. */
  repo: TeamRepo;
  /** Writes: each with its audit record in one transaction. */
  uow: UnitOfWork<{ team: TeamRepo; tenants: TenantsRepo; pricebook: PricebookRepo }>;
  tenants: TenantsRepo;
  pricebook: PricebookRepo;
  clock: Clock;
  publicUrl: () => string;
}) {
  const { repo, uow, tenants, clock } = deps;

  /** `pricebook`: where to read (inside a unit of work, the run's). */
  const seatLimit = async (tenant: TenantRow, pricebook: PricebookRepo = deps.pricebook) => {
    const plan = (await pricebook.published())?.plans.find((p) => p.id === tenant.plan_id);
    return plan ? plan.seats : null;
  };
  const find = async (r: TeamRepo, tenantId: string, id: string) => {
    const m = await r.byId(tenantId, id);
    if (!m) throw notFound('Team member');
    return m;
  };
  const assertRole = (tenant: TenantRow, role: Role) => {
    // Platform admins exist only in the platform tenant; a business has owners and agents.
    if (role === 'admin' && tenant.is_platform !== 1) {
      throw new HttpError(400, 'invalid_request', 'Only the platform tenant has admins; use owner or agent', [{ path: ['body', 'role'], message: 'not allowed here' }]);
    }
    if (role === 'owner' && tenant.is_platform === 1) {
      throw new HttpError(400, 'invalid_request', 'The platform tenant has admins and agents', [{ path: ['body', 'role'], message: 'not allowed here' }]);
    }
  };
  const assertSeat = async (r: { team: TeamRepo; pricebook: PricebookRepo }, tenant: TenantRow) => {
    const limit = await seatLimit(tenant, r.pricebook);
    const used = await r.team.seatsUsed(tenant.id);
    if (limit !== null && used >= limit) {
      throw conflict('seat_limit_reached', `The ${tenant.plan_id} plan includes ${limit} seats and all are taken. Disable a member or upgrade the plan.`, { used, limit });
    }
  };
  const record = (audit: Audit, auth: AuthContext, ip: string, tenantId: string, action: string, id: string, before: unknown, after: unknown) =>
    audit({ tenantId, actorId: auth.userId, actorEmail: auth.email, action, targetType: 'user', targetId: id, before, after, ip });

  /** Creates a one-time invite and returns the link to send (the token is never stored). */
  async function issueInvite(r: TeamRepo, userId: string, tenantId: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = clock.now();
    await r.insertInvite(hashToken(token), userId, tenantId, now.toISOString(), new Date(now.getTime() + INVITE_TTL_MS).toISOString());
    return `${deps.publicUrl()}/app/#/invite/${token}`;
  }

  async function inviteInfo(token: string) {
    const inv = await repo.invite(hashToken(token));
    if (!inv || inv.used_at || new Date(inv.expires_at) <= clock.now()) throw notFound('Invitation');
    const m = await find(repo, inv.tenant_id, inv.user_id);
    return { email: m.email, name: m.name, expires_at: inv.expires_at, business_name: (await tenants.byId(inv.tenant_id))?.name ?? '' };
  }

  return {
    seatLimit,
    inviteInfo,
    /** An invite for a user just created, in the caller's unit of work (its `team` repo). */
    issueInvite,

    async list(tenant: TenantRow) {
      return { data: (await repo.list(tenant.id)).map(toMember), seats: { used: await repo.seatsUsed(tenant.id), limit: await seatLimit(tenant) }, next_cursor: null };
    },

    async add(auth: AuthContext, ip: string, tenant: TenantRow, input: { email: string; name: string; role: Role; password?: string }) {
      assertRole(tenant, input.role);
      const passwordHash = input.password ? await hashPassword(input.password) : null;
      return uow.run(async (tx) => {
        const { team, pricebook } = tx;
        await tx.tenants.holdLimits(tenant.id);
        await assertSeat({ team, pricebook }, tenant); // in the run: checked and inserted without another request in between
        const id = randomUUID();
        try {
          await tx.tenants.insertUser({ id, tenant_id: tenant.id, email: input.email, name: input.name, role: input.role, password_hash: passwordHash, at: clock.now().toISOString() });
        } catch (err) {
          if (isUniqueViolation(err)) throw conflict('email_taken', 'Someone already uses this email in Bob');
          throw err;
        }
        const inviteUrl = passwordHash ? null : await issueInvite(team, id, tenant.id);
        const member = toMember(await find(team, tenant.id, id));
        record(tx.audit, auth, ip, tenant.id, 'team.member_added', id, null, member);
        return { ...member, invite_url: inviteUrl };
      });
    },

    update: (auth: AuthContext, ip: string, tenant: TenantRow, id: string, patch: { name?: string; role?: Role; disabled?: boolean }) =>
      uow.run(async ({ team, pricebook, tenants, audit }) => {
        await tenants.holdLimits(tenant.id); // seats and the last owner, checked against concurrent changes
        const before = await find(team, tenant.id, id);
        const role = patch.role ?? before.role;
        assertRole(tenant, role);
        const disabling = patch.disabled === true && !before.disabled_at;
        const demoting = role !== before.role && (before.role === 'owner' || before.role === 'admin');
        if ((disabling || demoting) && (await team.otherOwners(tenant.id, id)) === 0) {
          throw conflict('last_owner', 'A business must keep at least one active owner');
        }
        if (patch.disabled === false && before.disabled_at) await assertSeat({ team, pricebook }, tenant);
        const at = clock.now().toISOString();
        const disabledAt = patch.disabled === undefined ? before.disabled_at : patch.disabled ? (before.disabled_at ?? at) : null;
        await team.update({ tenant_id: tenant.id, id, name: patch.name ?? before.name, role, disabled_at: disabledAt, at });
        if (disabledAt || role !== before.role) await team.revokeTokens(id, at);
        const after = toMember(await find(team, tenant.id, id));
        record(audit, auth, ip, tenant.id, 'team.member_updated', id, toMember(before), after);
        return after;
      }),

    /** Sets the password; returns the user's id so the caller can sign them in. */
    async acceptInvite(token: string, password: string, ip: string): Promise<string> {
      const info = await inviteInfo(token);
      const inv = (await repo.invite(hashToken(token)))!;
      const hash = await hashPassword(password);
      return uow.run(async ({ team, audit }) => {
        if (!(await team.acceptInvite(inv.token_hash, inv.user_id, hash, clock.now().toISOString()))) throw notFound('Invitation');
        audit({ tenantId: inv.tenant_id, actorId: inv.user_id, actorEmail: info.email, action: 'team.invite_accepted', targetType: 'user', targetId: inv.user_id, ip });
        return inv.user_id;
      });
    },
  };
}
