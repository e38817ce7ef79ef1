import { ChangePasswordRequest, LoginRequest, LoginResponse, MeResponse } from '../../../shared/schemas/auth';
import { authOf } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import { SESSION_COOKIE, setSessionCookie } from './auth.guard';
import { sessionUser, type AuthService } from './auth.service';
import type { AuthRepo } from './auth.repo';
import { notFound } from '../../errors';

export function registerAuthRoutes(api: ApiRouter, deps: { auth: AuthService; repo: AuthRepo }) {
  const { auth, repo } = deps;

  api.add({
    method: 'POST',
    path: '/api/auth/login',
    tag: 'Auth',
    summary: 'Sign in with email and password',
    description:
      'Returns a Bearer token and sets the HttpOnly `bob_session` cookie. Cookie-authenticated writes must send `X-CSRF-Token`. ' +
      'More than 5 failures per email and IP in 15 minutes → 429.',
    auth: 'public',
    body: LoginRequest,
    response: LoginResponse,
    errors: [401, 429],
    async handler(ctx, { body }) {
      return setSessionCookie(ctx, await auth.login({ ...body, ip: ctx.ip, userAgent: ctx.get('User-Agent') }));
    },
  });

  api.add({
    method: 'GET',
    path: '/api/auth/me',
    tag: 'Auth',
    summary: 'The signed-in user, with the CSRF token for cookie sessions',
    auth: 'user',
    response: MeResponse,
    async handler(ctx) {
      const a = authOf(ctx);
      const user = await repo.userById(a.userId);
      if (!user) throw notFound('User');
      return { csrf_token: a.csrfToken, expires_at: a.expiresAt, user: sessionUser(user) };
    },
  });

  api.add({
    method: 'POST',
    path: '/api/auth/logout',
    tag: 'Auth',
    summary: 'Sign out: revokes the token and clears the cookie',
    auth: 'user',
    status: 204,
    async handler(ctx) {
      await auth.logout(authOf(ctx), ctx.ip);
      ctx.cookies.set(SESSION_COOKIE, '', { httpOnly: true, sameSite: 'lax', path: '/', expires: new Date(0), overwrite: true });
    },
  });

  api.add({
    method: 'POST',
    path: '/api/auth/password',
    tag: 'Auth',
    summary: "Change the signed-in user's password (signs out their other sessions)",
    auth: 'user',
    body: ChangePasswordRequest,
    status: 204,
    async handler(ctx, { body }) {
      await auth.changePassword(authOf(ctx), body.current_password, body.new_password, ctx.ip);
    },
  });
}
