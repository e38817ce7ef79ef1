import { z } from 'zod';
import { businessId, externalSessionId } from './chat';

/** POST /api/widget/consent — the visitor accepts the business's current privacy notice (issue #22). */
export const WidgetConsentRequest = z.object({ session_id: externalSessionId }).meta({ id: 'WidgetConsentRequest' });

/** POST /api/chat/consent — the same on the anonymous same-origin path. */
export const PublicConsentRequest = z
  .object({ session_id: externalSessionId, business_id: businessId.optional().describe('a tenant\'s slug or id (default: the platform\'s own business)') })
  .meta({ id: 'PublicConsentRequest' });

export const ConsentAccepted = z
  .object({
    session_id: z.string(),
    version: z.number().int().describe('the notice version accepted (the business\'s current consent_version)'),
    accepted: z.literal(true),
  })
  .meta({ id: 'ConsentAccepted' });

