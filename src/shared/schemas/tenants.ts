import { z } from 'zod';

export const slug = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens');

export const TenantSettings = z
  .object({
    greeting: z.string().max(500),
    languages: z.array(z.enum(['en', 'it'])).min(1),
    office_hours: z.string().max(200),
    theme_color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a #rrggbb colour'),
  })
  .meta({ id: 'TenantSettings' });
export type TenantSettings = z.infer<typeof TenantSettings>;

export const DEFAULT_TENANT_SETTINGS: TenantSettings = {
  greeting: 'Hi! I am Bob. How can I help you today?',
  languages: ['en', 'it'],
  office_hours: 'Mon–Fri 9:00–18:00',
  theme_color: '#2563eb',
};

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
