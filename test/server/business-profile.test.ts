import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_TENANT_SETTINGS } from '../../src/shared/schemas/tenants';
import { records } from '../helpers/db';
import { DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';

let server: TestServer;
let owner: Session;
beforeEach(async () => {
  server = await startTestServer();
  owner = await login(server, DEMO_OWNER);
});
afterEach(() => server.close());

const week = (mon: [string, string][]) => ({ mon, tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] });
const patch = (settings: Record<string, unknown>) => server.send('PATCH', '/api/tenant', { settings }, owner.bearer);
const getTenant = async () => (await server.fetch('/api/tenant', { headers: owner.bearer })).json();

describe('business profile', () => {
  it('comes seeded on the demo business', async () => {
    expect((await getTenant()).settings).toMatchObject({
      timezone: 'Europe/Rome',
      address: 'Via del Corso 12, 00186 Roma',
      hours: { mon: [['09:00', '13:00'], ['14:00', '18:00']], sat: [], sun: [] },
      closures: [{ date: '2026-12-25', note: 'Christmas' }, { date: '2026-12-26', note: 'Santo Stefano' }],
      office_hours: DEFAULT_TENANT_SETTINGS.office_hours,
    });
  });

  it('round-trips a full profile through GET and keeps it on partial edits', async () => {
    const profile = {
      about: 'A bakery in Brooklyn.',
      address: '1 Main St, Brooklyn, NY 11201',
      phone: '+1 (718) 555-0100',
      email: 'hello@bakery.example',
      website: 'https://bakery.example/about',
      timezone: 'America/New_York',
      hours: { mon: [], tue: [['07:00', '12:00'], ['13:00', '19:00']], wed: [['07:00', '19:00']], thu: [['07:00', '19:00']], fri: [['07:00', '24:00']], sat: [['00:00', '02:00'], ['08:00', '14:00']], sun: [] },
      closures: [{ date: '2027-01-01', note: 'New Year' }, { date: '2028-02-29', note: 'Leap day' }],
    };
    const res = await patch(profile);
    expect(res.status).toBe(200);
    expect((await res.json()).settings).toMatchObject(profile);
    expect((await getTenant()).settings).toEqual({ ...DEFAULT_TENANT_SETTINGS, ...profile });

    // Settings merge: one field changes, the rest stays; null says "hours unknown", text is trimmed, a note defaults to "".
    expect((await patch({ phone: '+1 718 555 0199', hours: null, about: '  Bread.  ', closures: [{ date: '2027-01-01' }] })).status).toBe(200);
    expect((await getTenant()).settings).toEqual({ ...DEFAULT_TENANT_SETTINGS, ...profile, phone: '+1 718 555 0199', hours: null, about: 'Bread.', closures: [{ date: '2027-01-01', note: '' }] });
    // Empty email/website clear them.
    expect((await patch({ email: '', website: '' })).status).toBe(200);
    expect((await getTenant()).settings).toMatchObject({ email: '', website: '' });
  });

  it.each([
    ['an unknown time zone', { timezone: 'Europe/Atlantis' }, 'settings.timezone: unknown time zone "Europe/Atlantis"'],
    ['a zone abbreviation', { timezone: 'CET' }, 'unknown time zone "CET"'],
    ['an inverted range', { hours: week([['18:00', '09:00']]) }, 'settings.hours.mon.0: 18:00–09:00 ends before it starts'],
    ['an empty range', { hours: week([['09:00', '09:00']]) }, '09:00–09:00 ends before it starts'],
    ['overlapping ranges', { hours: week([['14:00', '18:00'], ['09:00', '14:30']]) }, 'settings.hours.mon: 09:00–14:30 and 14:00–18:00 overlap'],
    ['a bad HH:MM', { hours: week([['9:00', '13:00']]) }, 'settings.hours.mon.0.0: use HH:MM'],
    ['an hour past 24:00', { hours: week([['09:00', '24:30']]) }, 'settings.hours.mon.0.1: use HH:MM'],
    ['a missing weekday', { hours: { mon: [] } }, 'settings.hours.tue'],
    ['a closure on a day that does not exist', { closures: [{ date: '2027-02-29', note: 'x' }] }, 'settings.closures.0.date: use an existing day as YYYY-MM-DD'],
    ['the same closure date twice', { closures: [{ date: '2026-12-25', note: 'Christmas' }, { date: '2026-12-25', note: 'again' }] }, 'settings.closures: 2026-12-25 is listed twice'],
    ['an about over 1,000 characters', { about: 'x'.repeat(1001) }, 'settings.about:'],
    ['a bad email', { email: 'info-at-business' }, 'settings.email: use an email address'],
    ['a website that is not http(s)', { website: 'ftp://business.example' }, 'settings.website: use a web address'],
    ['a website without a scheme', { website: 'business.example' }, 'settings.website: use a web address'],
    ['a phone with letters', { phone: 'call us' }, 'settings.phone: use digits'],
  ])('rejects %s with 400 naming the problem', async (_what, settings, message) => {
    const before = (await getTenant()).settings;
    const res = await patch(settings);
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.error.code).toBe('invalid_request');
    expect(body.error.message).toContain(message);
    expect((await getTenant()).settings).toEqual(before);
  });

  it('reports only the format problem of a malformed range, not a follow-on one', async () => {
    const body = await (await patch({ hours: week([['09:00', '25:00'], ['10:00', '11:00']]) })).json();
    expect(body.error.details).toEqual([{ path: ['body', 'settings', 'hours', 'mon', '0', '1'], code: 'invalid_format', message: 'use HH:MM (00:00–24:00)' }]);
  });

  it('reads a row saved before the profile existed: defaults, and no profile fields', async () => {
    const old = { greeting: 'Hello', languages: ['en'], office_hours: 'Mon–Fri', theme_color: '#000000', onboarded: true };
    await records(server).setTenantSettings('business-co', old);
    const settings = (await getTenant()).settings;
    expect(settings).toEqual({ ...old, greeting_it: DEFAULT_TENANT_SETTINGS.greeting_it });
    for (const field of ['about', 'address', 'phone', 'email', 'website', 'timezone', 'hours', 'closures']) expect(settings).not.toHaveProperty(field);
    // And such a row takes a profile like any other.
    expect((await patch({ timezone: 'Europe/Rome', hours: week([['09:00', '13:00']]) })).status).toBe(200);
    expect((await getTenant()).settings).toMatchObject({ ...old, timezone: 'Europe/Rome', hours: week([['09:00', '13:00']]) });
  });
});
