import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Clock } from '../../clock';
import { HttpError, notFound } from '../../errors';
import type { ApiRouter } from '../../http/routes';
import type { PersonasRepo } from '../personas/personas.repo';
import { settingsOf, type TenantsRepo } from '../tenants/tenants.repo';
import type { WidgetKeysRepo } from '../widget-keys/widget-keys.repo';

const PLACEHOLDER = '__BOB_CONFIG__';

/** JSON that is safe inside a script: no "</script>", no line separators that break JS. */
const scriptJson = (v: unknown) =>
  JSON.stringify(v).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');

export function registerWidgetScriptRoutes(api: ApiRouter, deps: { widgetDir: string; tenants: TenantsRepo; keys: WidgetKeysRepo; personas: PersonasRepo; clock: Clock; publicUrl: () => string }) {
  let bundle: string | undefined;
  const load = () => {
    if (bundle) return bundle;
    const file = path.join(deps.widgetDir, 'widget.js');
    if (!fs.existsSync(file)) throw new HttpError(503, 'widget_not_built', 'The widget has not been built yet: run `npm run build`');
    return (bundle = fs.readFileSync(file, 'utf8'));
  };

  api.add({
    method: 'GET',
    path: '/widget/:tenantId/widget.js',
    tag: 'Widget',
    summary: 'The embeddable widget for one business, with its publishable key, API base, colour and persona name built in',
    description: 'Paste `<script src="…/widget/<tenant uuid>/widget.js" async></script>` (Customer Portal → Widget Setup). No key goes in the page\'s HTML.',
    auth: 'public',
    params: z.object({ tenantId: z.string().max(64) }),
    produces: 'application/javascript',
    errors: [404],
    async handler(ctx, { params }) {
      const tenant = await deps.tenants.byId(params.tenantId);
      if (!tenant) throw notFound('Business');
      const now = deps.clock.now();
      const usable = (await deps.keys.forTenant(tenant.id))
        .filter((k) => k.status === 'active' && (!k.expires_at || new Date(k.expires_at) > now))
        .sort((a, b) => Number(b.mode === 'live') - Number(a.mode === 'live') || b.created_at.localeCompare(a.created_at));
      const key = usable[0]?.key ?? '';
      const body = key
        ? load().replace(
            PLACEHOLDER,
            // Colour and name are here, not only in /api/widget/config, so the launcher's first paint has them.
            scriptJson({ tenant: tenant.id, key, api: deps.publicUrl(), color: settingsOf(tenant).theme_color, persona: (await deps.personas.defaultFor(tenant.id))?.name ?? 'Bob' }),
          )
        : `console.warn(${scriptJson('Bob: this business has no active widget key. Create one in Mission Control → Widget.')});`;
      if (!cachedScript(ctx, body, 300)) ctx.body = body;
    },
  });

  const parts = new Map<string, string>();
  api.add({
    method: 'GET',
    path: '/widget/parts/:name.js',
    tag: 'Widget',
    summary: 'A part of the widget it loads on demand (widget/src/parts/<name>.ts), the same for every business',
    description: 'Requested by the widget itself with `?v=<build hash>`, so a day of caching never serves an old build.',
    auth: 'public',
    params: z.object({ name: z.string().regex(/^[a-z0-9-]{1,40}$/) }),
    produces: 'application/javascript',
    errors: [404],
    async handler(ctx, { params }) {
      let body = parts.get(params.name);
      if (body === undefined) {
        const file = path.join(deps.widgetDir, 'parts', `${params.name}.js`);
        if (!fs.existsSync(file)) throw notFound('Widget part');
        parts.set(params.name, (body = fs.readFileSync(file, 'utf8')));
      }
      if (!cachedScript(ctx, body, 86_400)) ctx.body = body;
    },
  });
}

/** Sets the script's caching headers; true when the client's copy is current (answered 304). */
function cachedScript(ctx: { get(h: string): string; set(h: string, v: string): void; status: number; type: string }, body: string, maxAge: number): boolean {
  // Weak: the same script also goes out gzip- or brotli-encoded (the compression middleware).
  const etag = `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  ctx.set('ETag', etag);
  ctx.set('Cache-Control', `public, max-age=${maxAge}`);
  ctx.set('Cross-Origin-Resource-Policy', 'cross-origin');
  ctx.type = 'application/javascript; charset=utf-8';
  if (!matches(ctx.get('If-None-Match'), etag)) return false;
  ctx.status = 304;
  return true;
}

/** If-None-Match's weak comparison: any listed tag, with or without `W/`, or `*`. */
function matches(header: string, etag: string): boolean {
  if (!header) return false;
  const opaque = (t: string) => t.trim().replace(/^W\//, '');
  return header.split(',').some((t) => t.trim() === '*' || opaque(t) === opaque(etag));
}
