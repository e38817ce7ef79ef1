import { z } from 'zod';
import { isoDate } from './common';
import { Plan } from './pricebook';

export const slug = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'use lowercase letters, digits and single hyphens');

const HHMM = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;
const hhmm = z.string().regex(HHMM, 'use HH:MM (00:00–24:00)');
const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
// A range with a malformed end already has its HH:MM issue; comparing it would add a misleading second one.
const wellFormed = (range: [string, string]) => HHMM.test(range[0]) && HHMM.test(range[1]);
/** One day's opening ranges, e.g. [["09:00","13:00"],["14:00","18:00"]]; [] = closed that day. */
export const DayHours = z
  .array(
    z.tuple([hhmm, hhmm]).refine((range) => !wellFormed(range) || minutes(range[0]) < minutes(range[1]), {
      error: (iss) => `${(iss.input as string[]).join('–')} ends before it starts`,
    }),
  )
  .max(6)
  .superRefine((ranges, ctx) => {
    const sorted = ranges.filter(wellFormed).sort((a, b) => minutes(a[0]) - minutes(b[0]));
    for (let i = 1; i < sorted.length; i++) {
      if (minutes(sorted[i]![0]) < minutes(sorted[i - 1]![1])) ctx.addIssue({ code: 'custom', message: `${sorted[i - 1]!.join('–')} and ${sorted[i]!.join('–')} overlap` });
    }
  });
export { WEEKDAYS, type Weekday } from '../weekdays';
export const WeeklyHours = z
  .object({ mon: DayHours, tue: DayHours, wed: DayHours, thu: DayHours, fri: DayHours, sat: DayHours, sun: DayHours })
  .meta({ id: 'WeeklyHours' });
export type WeeklyHours = z.infer<typeof WeeklyHours>;
export const Closure = z.object({ date: isoDate, note: z.string().trim().max(200).default('') }).meta({ id: 'Closure' });
export type Closure = z.infer<typeof Closure>;

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return name.includes('/') || name === 'UTC';
  } catch {
    return false;
  }
}
export const timeZone = z
  .string()
  .trim()
  .max(64)
  .refine(isTimeZone, { error: (iss) => `unknown time zone "${String(iss.input)}": use an IANA name like Europe/Rome` });

/** The longest privacy notice per language (issue #22). */
export const CONSENT_NOTICE_MAX = 2000;

export const TenantSettings = z
  .object({
    greeting: z.string().max(500).describe('the widget\'s first message on English pages'),
    greeting_it: z.string().max(500).optional().describe('the first message on Italian pages (an Italian default when unset)'),
    languages: z.array(z.enum(['en', 'it'])).min(1),
    office_hours: z.string().max(200),
    theme_color: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a #rrggbb colour'),
    /** Set when the owner finishes the first-login wizard (site origins, persona, greeting). */
    onboarded: z.boolean(),
    block_publish_on_failed_tests: z.boolean().optional().describe('true: publishing a catalog or a persona runs the answer tests against it first and answers 409 answer_tests_failed if any fails'),
    retention_days: z
      .number()
      .int()
      .min(1)
      .max(3650)
      .nullable()
      .optional()
      .describe('days a conversation is kept after its last message (null/unset: kept until deleted); the platform\'s maximum caps it (GET /api/retention)'),
    // The business profile Bob answers from (each optional: Bob says it does not know what is unset).
    about: z.string().trim().max(1000).optional(),
    address: z.string().trim().max(300).optional(),
    phone: z.string().trim().max(40).regex(/^[+()0-9 ./-]*$/, 'use digits, spaces and + ( ) . / -').optional(),
    email: z.union([z.email('use an email address like info@example.com').max(254), z.literal('')]).optional(),
    website: z.union([z.url({ protocol: /^https?$/, error: 'use a web address starting with https:// or http://' }).max(300), z.literal('')]).optional(),
    timezone: timeZone.optional().describe('IANA name; "now" and "today" in Bob\'s answers are the business\'s (default Europe/Rome)'),
    hours: WeeklyHours.nullable().optional().describe('null/unset: Bob does not know the opening hours'),
    closures: z
      .array(Closure)
      .max(366)
      .superRefine((closures, ctx) => {
        const seen = new Set<string>();
        for (const { date } of closures) {
          if (seen.has(date)) ctx.addIssue({ code: 'custom', message: `${date} is listed twice` });
          seen.add(date);
        }
      })
      .optional()
      .describe('days the business is closed whatever its weekly hours'),
    // Issue #22, informing and consent (all optional: off by default).
    consent_required: z.boolean().optional().describe('true: the widget and anonymous chat paths refuse messages (403 consent_required) until the visitor accepts the current notice'),
    consent_notice: z
      .object({ en: z.string().trim().max(CONSENT_NOTICE_MAX), it: z.string().trim().max(CONSENT_NOTICE_MAX) })
      .optional()
      .describe('the privacy notice the widget shows before the first message, per page language'),
    privacy_policy_url: z
      .union([z.url({ protocol: /^https?$/, error: 'use a web address starting with https:// or http://' }).max(500), z.literal('')])
      .optional()
      .describe('the business\'s privacy policy, linked from the notice'),
    consent_version: z.number().int().min(0).optional().describe('read-only: the server bumps it whenever the notice or the policy address changes; a value sent is ignored'),
    // Issue #23, conversations and rating.
    ask_bob_or_person: z.boolean().optional().describe('true: before the first message the widget asks the visitor "Chat with Bob or wait for a person?" (default off)'),
    // Issue #23, when nobody is there.
    handoff_timeout_minutes: z.number().int().min(1).max(240).optional().describe('minutes a handoff may wait for a person before the widget offers to be answered later (default 5)'),
    // Issue #23, presence in a conversation.
    widget_sound: z.boolean().optional().describe('true: the widget beeps softly when a reply arrives while it is closed or the tab is hidden (default off)'),
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

/** A row of the platform admin's business list: the tenant with its owner and this month's usage. */
export const TenantListItem = Tenant.extend({
  owner: z.object({ id: z.uuid(), name: z.string(), email: z.string() }).nullable().describe('null for the platform itself'),
  usage: z
    .object({
      month: z.string().describe('YYYY-MM (UTC)'),
      conversations: z.number().int().describe('conversations started this month'),
      credits_used: z.number().int(),
      credits_allowance: z.number().int().describe('the plan\'s credits_month in the published pricebook'),
    })
    .describe('this month so far'),
}).meta({ id: 'TenantListItem' });
export type TenantListItem = z.infer<typeof TenantListItem>;

export const TenantIdParams = z.object({ id: z.string().min(1).max(64).describe('the tenant\'s id or slug') });

export const TenantPlanPatch = z.object({ plan_id: planId }).meta({ id: 'TenantPlanPatch' });
