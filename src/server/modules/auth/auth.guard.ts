import { HttpError, forbidden } from '../../errors';
import type { AppContext } from '../../http/context';
import type { AnyRouteDef, UserGuard } from '../../http/routes';
import type { LoginResponse } from '../../../shared/schemas/auth';
import { csrfMatches, type AuthService } from './auth.service';

export const SESSION_COOKIE = 'bob_session';

/** Hands a new session to the browser as the HttpOnly cookie; returns it for the response body. */
export function setSessionCookie(ctx: AppContext, session: LoginResponse): LoginResponse {
  ctx.cookies.set(SESSION_COOKIE, session.token, { httpOnly: true, sameSite: 'lax', secure: ctx.secure, path: '/', expires: new Date(session.expires_at), overwrite: true });
  return session;
}
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function presentedToken(ctx: AppContext): { token: string; via: 'bearer' | 'cookie' } | null {
  const header = ctx.get('Authorization');
  const bearer = /^Bearer\s+(\S+)$/i.exec(header);
  if (bearer) return { token: bearer[1]!, via: 'bearer' };
  const cookie = ctx.cookies.get(SESSION_COOKIE);
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

/**
 * The one auth check: a valid session (Bearer or cookie), CSRF on cookie writes, then the
 * route's permission. Sets ctx.state.auth.
 */
export function createUserGuard(auth: AuthService): UserGuard {
  return async function requireUser(ctx: AppContext, def: AnyRouteDef) {
    const presented = presentedToken(ctx);
    const session = presented && (await auth.authenticate(presented.token, presented.via));
    if (!session) {
      throw new HttpError(
        401,
        'unauthenticated',
        def.unauthenticatedMessage ??
          (presented ? 'Your session has expired or was signed out. Sign in again.' : 'Sign in first: send Authorization: Bearer <token> or the bob_session cookie'),
      );
    }
    if (session.via === 'cookie' && !SAFE_METHODS.has(ctx.method) && !csrfMatches(session.csrfToken, ctx.get('X-CSRF-Token'))) {
      throw new HttpError(403, 'csrf_failed', 'Missing or wrong X-CSRF-Token header for a cookie-authenticated request');
    }
    ctx.state.auth = session;
    if (def.permission && !session.permissions.includes(def.permission)) {
      throw forbidden(`This needs the ${def.permission} permission`);
    }
  };
}
