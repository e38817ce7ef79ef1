import type { TenantSettings } from '../../../shared/schemas/tenants';

const WEEKDAY: [string, string][] = [
  ['09:00', '13:00'],
  ['14:00', '18:00'],
];

/** The demo business's profile (business-co), what Bob answers "when are you open?" and "where are you?" from. */
export const DEMO_BUSINESS_PROFILE = {
  about: 'A small accounting and consulting office in Rome, helping families and small businesses with taxes, bookkeeping and payroll.',
  address: 'Via del Corso 12, 00186 Roma',
  phone: '+39 06 1234 5678',
  email: 'info@business.example',
  website: 'https://business.example',
  timezone: 'Europe/Rome',
  hours: { mon: WEEKDAY, tue: WEEKDAY, wed: WEEKDAY, thu: WEEKDAY, fri: WEEKDAY, sat: [], sun: [] },
  closures: [
    { date: '2026-12-25', note: 'Christmas' },
    { date: '2026-12-26', note: 'Santo Stefano' },
  ],
} satisfies Partial<TenantSettings>;
