import cors from '@koa/cors';
import type { Middleware, Next } from 'koa';
import type { Clock } from '../../clock';
import { HttpError } from '../../errors';
import type { AppContext, AppState } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import { isLoopbackOrigin, originMatches } from '../../../shared/origins';
import type { WidgetKeysRepo } from '../widget-keys/widget-keys.repo';

const TOUCH_EVERY_MS = 60_000;

/**
 * The embed guard, in order: a known active key → an Origin on that key's allowlist (test keys:
 * loopback only) → CORS headers for exactly that origin. Rate limits and session checks follow
 * in the chat service.
 */
export function createWidgetGuard(keys: WidgetKeysRepo, clock: Clock): Middleware<AppState>[] {
  async function checkKeyAndOrigin(ctx: AppContext, next: Next) {
    const presented = ctx.get('X-Widget-Key') || (ctx.method === 'GET' && typeof ctx.query.key === 'string' ? ctx.query.key : '');
    const key = presented ? await keys.byKey(presented) : undefined;
    const now = clock.now();
    if (!key || key.status !== 'active' || (key.expires_at && new Date(key.expires_at) <= now)) {
      throw new HttpError(401, 'invalid_widget_key', 'Missing, unknown or revoked widget key (X-Widget-Key)');
    }
    // Browsers send no Origin on same-origin GETs (e.g. the live preview inside Mission Control):
    // such a request comes from Bob's own origin, which must then be on the allowlist too.
    const origin = ctx.get('Origin') || (ctx.get('Sec-Fetch-Site') === 'same-origin' ? `${ctx.protocol}://${ctx.host}` : '');
    const allowed = originMatches(origin, key.allowed_origins) && (key.mode === 'live' || isLoopbackOrigin(origin));
    if (!allowed) {
      throw new HttpError(
        403,
        'origin_not_allowed',
        origin && origin !== 'null'
          ? `Bob is not enabled for ${origin}: add it to the widget key's allowed origins in Mission Control → Widget${key.mode === 'test' ? ' (test keys work only on localhost)' : ''}`
          : 'The widget path needs the Origin of the embedding site',
      );
    }
    ctx.state.widget = { keyId: key.id, mode: key.mode, tenantId: key.tenant_id, origin, identityRequired: !!key.identity_required };
    if (!key.last_used_at || now.getTime() - new Date(key.last_used_at).getTime() > TOUCH_EVERY_MS) await keys.touch(key.id, now.toISOString());
    await next();
  }
  const corsHeaders = cors({
    origin: (ctx) => (ctx.state as AppState).widget?.origin ?? '',
    credentials: false,
    keepHeadersOnError: true,
    // So the embedding page can read how long to wait and quote a request id to support.
    exposeHeaders: ['Retry-After', 'X-Request-Id'],
  });
  return [checkKeyAndOrigin, corsHeaders as Middleware<AppState>];
}

/** Preflights carry no key: allow an origin that is on at least one active key's allowlist. */
function createWidgetPreflight(keys: WidgetKeysRepo): Middleware<AppState> {
  return cors({
    origin: async (ctx) => {
      const origin = ctx.get('Origin');
      return (await keys.activeAllowlists()).some((list) => originMatches(origin, list)) ? origin : '';
    },
    allowMethods: ['POST'],
    allowHeaders: ['Content-Type', 'X-Widget-Key'],
    maxAge: 600,
    credentials: false,
  }) as Middleware<AppState>;
}

/** The CORS preflights (OPTIONS) of widget routes: every cross-origin widget route needs one. */
export function addWidgetPreflights(api: ApiRouter, keys: WidgetKeysRepo, paths: readonly string[]): void {
  const preflight = createWidgetPreflight(keys);
  for (const path of paths) {
    api.add({
      method: 'OPTIONS',
      path,
      tag: 'Widget',
      summary: 'CORS preflight: Access-Control-Allow-Origin only for an origin on an active key\'s allowlist',
      auth: 'public',
      before: [preflight],
      handler: () => undefined,
    });
  }
}
