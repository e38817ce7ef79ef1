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

/** A widget request that passed the key and Origin checks. */
export interface WidgetContext {
  keyId: string;
  mode: 'live' | 'test';
  tenantId: string;
  origin: string;
  /** The key needs a visitor verified through Bob.identify before chat (issue #23). */
  identityRequired?: boolean;
}

export interface AppState {
  requestId: string;
  auth?: AuthContext;
  widget?: WidgetContext;
}

export type AppContext = ParameterizedContext<AppState>;

/** The caller's auth; only call inside a route declared with auth: 'user'. */
export function authOf(ctx: AppContext): AuthContext {
  if (!ctx.state.auth) throw new Error('authOf() used on a route without auth');
  return ctx.state.auth;
}

/** The checked widget key; only call inside a route declared with auth: 'widget'. */
export function widgetOf(ctx: AppContext): WidgetContext {
  if (!ctx.state.widget) throw new Error('widgetOf() used on a route without the widget guard');
  return ctx.state.widget;
}
