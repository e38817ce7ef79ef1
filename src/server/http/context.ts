import type { ParameterizedContext } from 'koa';
import type { Permission, Role } from '../../shared/permissions';

export interface AuthContext {
  userId: string;
  email: string;
  name: string;
  role: Role;
  tenantId: string;
  permissions: Permission[];
  tokenId: string;
  /** Expected X-CSRF-Token for this session (derived from the token, never stored). */
  csrfToken: string;
  via: 'bearer' | 'cookie';
  expiresAt: string;
}

export interface AppState {
  requestId: string;
  auth?: AuthContext;
}

export type AppContext = ParameterizedContext<AppState>;

/** The caller's auth; only call inside a route declared with auth: 'user'. */
export function authOf(ctx: AppContext): AuthContext {
  if (!ctx.state.auth) throw new Error('authOf() used on a route without auth');
  return ctx.state.auth;
}
