import { z } from 'zod';
import { Plan } from './pricebook';

export const slug = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens');

export const TenantSettings = z
  .object({
    greeting: z.string().max(500).describe('the widget\'s first message on English pages'),
    greeting_it: z.string().max(500).optional().describe('the first message on Italian pages (an Italian default when unset)'),
    languages: z.array(z.enum(['en', 'it'])).min(1),
    office_hours: z.string().max(200),
    theme_color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a #rrggbb colour'),
    /** Set when the owner finishes the first-login wizard (site origins, persona, greeting). */
    onboarded: z.boolean(),
  })
  .meta({ id: 'TenantSettings' });
export type TenantSettings = z.infer<typeof TenantSettings>;

export const DEFAULT_TENANT_SETTINGS: TenantSettings = {
  greeting: 'Hi! How can I help you today?',
  greeting_it: 'Ciao! Come posso aiutarti oggi?',
  languages: ['en', 'it'],
  office_hours: 'Mon–Fri 9:00–18:00',
  theme_color: '#2563eb',
  onboarded: false,
};

/** A plan of the published pricebook (GET /api/pricebook lists them: base, pro, enterprise in the demo). */
const planId = Plan.shape.id.describe('one of the published pricebook\'s plan ids (GET /api/pricebook); 400 for any other');

export const Tenant = z
  .object({
    id: z.uuid(),
    slug: z.string(),
    name: z.string(),
    plan_id: z.string(),
    is_platform: z.boolean(),
    settings: TenantSettings,
    created_at: z.string(),
  })
  .meta({ id: 'Tenant' });
export type Tenant = z.infer<typeof Tenant>;

export const TenantCreate = z
  .object({
    name: z.string().trim().min(1).max(80),
    slug,
    plan_id: planId,
    owner_email: z.email().max(254),
    owner_name: z.string().trim().min(1).max(80).optional(),
    owner_password: z.string().min(10, 'use at least 10 characters').max(1024).optional().describe('omit to get a one-time invite link'),
  })
  .meta({ id: 'TenantCreate' });

export const TenantCreated = z
  .object({
    tenant: Tenant,
    owner: z.object({ id: z.uuid(), email: z.string(), invite_url: z.string().nullable() }),
    widget_key: z.object({ id: z.uuid(), key: z.string() }),
  })
  .meta({ id: 'TenantCreated' });

export const TenantPatch = z
  .object({ name: z.string().trim().min(1).max(80).optional(), plan_id: planId.optional().describe('platform admins only; one of the published pricebook\'s plan ids'), settings: TenantSettings.partial().optional() })
  .meta({ id: 'TenantPatch' });
