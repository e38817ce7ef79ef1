import { ConsentAccepted, PublicConsentRequest } from '../../../shared/schemas/consent';
import { HttpError } from '../../errors';
import type { AppContext } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import { assertSameOrigin } from '../chat/chat.routes';
import { findBusiness } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import type { ConsentService } from './consent.service';

/** The anonymous same-origin path's acceptance (the widget's is in widget.routes.ts). */
export function registerConsentRoutes(api: ApiRouter, deps: { consent: ConsentService; tenants: TenantsRepo; publicUrl: () => string }) {
  api.add({
    method: 'POST',
    path: '/api/chat/consent',
    tag: 'Chat',
    summary: 'The visitor accepts the business\'s privacy notice (anonymous, same origin), before POST /api/chat',
    description:
      'Records the acceptance of the business\'s current notice version (`consent_version`) for `session_id`, with its time and a salted hash of the address; ' +
      'accepting the same version again changes nothing. Same rules as `POST /api/chat`: cross-origin → 403 `cross_origin_forbidden`, unknown `business_id` → 404.',
    auth: 'public',
    before: [async (ctx, next) => (assertSameOrigin(ctx as AppContext, deps.publicUrl()), next())],
    body: PublicConsentRequest,
    response: ConsentAccepted,
    errors: [403, 404],
    async handler(ctx, { body }) {
      const tenant = body.business_id === undefined ? await deps.tenants.platform() : await findBusiness(deps.tenants, body.business_id);
      if (!tenant) throw new HttpError(404, 'unknown_business', `No business with id "${body.business_id}"`);
      return deps.consent.accept(tenant, body.session_id, ctx.ip);
    },
  });
}
