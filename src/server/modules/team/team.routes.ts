import { z } from 'zod';
import { uuid } from '../../../shared/schemas/common';
import { AcceptInvite, InviteInfo, TeamList, TeamMember, TeamMemberCreate, TeamMemberCreated, TeamMemberPatch } from '../../../shared/schemas/team';
import { LoginResponse } from '../../../shared/schemas/auth';
import { notFound } from '../../errors';
import { authOf } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import { setSessionCookie } from '../auth/auth.guard';
import type { AuthRepo } from '../auth/auth.repo';
import type { AuthService } from '../auth/auth.service';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import type { TeamService } from './team.service';

const Scope = z.object({ business_id: z.string().max(64).optional().describe('platform admins: another tenant') });
const IdParams = z.object({ id: uuid });

export function registerTeamRoutes(api: ApiRouter, deps: { team: TeamService; tenants: TenantsRepo; auth: AuthService; authRepo: AuthRepo }) {
  const { team } = deps;
  const common = { tag: 'Team', auth: 'user' as const, permission: 'team.manage' as const, query: Scope };

  api.add({
    ...common,
    method: 'GET',
    path: '/api/team',
    summary: 'Members, and seats used against the plan\'s limit',
    response: TeamList,
    handler: async (ctx, { query }) => team.list(await tenantOf(deps.tenants, authOf(ctx), query.business_id)),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/team',
    summary: 'Add a member (without a password: a one-time invite link, valid 7 days); 409 seat_limit_reached when the plan is full',
    body: TeamMemberCreate,
    status: 201,
    response: TeamMemberCreated,
    errors: [409],
    handler: async (ctx, { query, body }) => team.add(authOf(ctx), ctx.ip, await tenantOf(deps.tenants, authOf(ctx), query.business_id), body),
  });

  api.add({
    ...common,
    method: 'PATCH',
    path: '/api/team/:id',
    summary: 'Rename, change role, disable or re-enable a member (their sessions end on role change or disable)',
    params: IdParams,
    body: TeamMemberPatch,
    response: TeamMember,
    errors: [404, 409],
    handler: async (ctx, { query, params, body }) => team.update(authOf(ctx), ctx.ip, await tenantOf(deps.tenants, authOf(ctx), query.business_id), params.id, body),
  });

  api.add({
    ...common,
    method: 'DELETE',
    path: '/api/team/:id',
    summary: 'Remove a member: disabled (history keeps their name), seat freed',
    params: IdParams,
    status: 204,
    errors: [404, 409],
    async handler(ctx, { query, params }) {
      await team.update(authOf(ctx), ctx.ip, await tenantOf(deps.tenants, authOf(ctx), query.business_id), params.id, { disabled: true });
    },
  });

  api.add({
    method: 'GET',
    path: '/api/auth/invite',
    tag: 'Auth',
    summary: 'Who an invitation is for (to show before choosing a password)',
    auth: 'public',
    query: z.object({ token: z.string().min(20).max(200) }),
    response: InviteInfo,
    errors: [404],
    handler: (_ctx, { query }) => team.inviteInfo(query.token),
  });

  api.add({
    method: 'POST',
    path: '/api/auth/accept-invite',
    tag: 'Auth',
    summary: 'Choose a password with a one-time invitation; signs in (the same session as /api/auth/login)',
    description: 'The invitation proves who the person is, so the new password starts a session at once: the body is a login response and the `bob_session` cookie is set.',
    auth: 'public',
    body: AcceptInvite,
    response: LoginResponse,
    errors: [404],
    async handler(ctx, { body }) {
      const userId = await team.acceptInvite(body.token, body.password, ctx.ip);
      const user = await deps.authRepo.userById(userId);
      if (!user) throw notFound('User');
      return setSessionCookie(ctx, await deps.auth.openSession(user, { ip: ctx.ip, userAgent: ctx.get('User-Agent') }));
    },
  });
}
