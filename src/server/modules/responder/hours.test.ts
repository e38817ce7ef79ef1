import { describe, expect, it } from 'vitest';
import type { WeeklyHours } from '../../../shared/schemas/tenants';
import { dayStatus, localTime, nextWeekday, openNow, weekdayOf } from './hours';

const SPLIT: [string, string][] = [
  ['09:00', '13:00'],
  ['14:00', '18:00'],
];
// An office in Rome: weekdays with a lunch gap, closed at weekends, closed over Christmas.
const ROME = {
  timezone: 'Europe/Rome',
  hours: { mon: SPLIT, tue: SPLIT, wed: SPLIT, thu: SPLIT, fri: SPLIT, sat: [], sun: [] } satisfies WeeklyHours,
  closures: [
    { date: '2026-12-25', note: 'Christmas' },
    { date: '2026-12-26', note: 'Santo Stefano' },
  ],
};
const LUNCH_DINNER: [string, string][] = [
  ['11:00', '15:00'],
  ['17:00', '23:00'],
];
// A restaurant in New York open every day, so the DST Sundays have hours to get wrong.
const NEW_YORK = {
  timezone: 'America/New_York',
  hours: { mon: LUNCH_DINNER, tue: LUNCH_DINNER, wed: LUNCH_DINNER, thu: LUNCH_DINNER, fri: LUNCH_DINNER, sat: LUNCH_DINNER, sun: LUNCH_DINNER },
};
const at = (iso: string) => new Date(iso);

describe('localTime', () => {
  it('gives the business\'s wall clock, not the server\'s', () => {
    // 2026-06-10 is a Wednesday; Rome is UTC+2 in summer, New York UTC-4.
    expect(localTime(at('2026-06-10T08:30:00Z'), 'Europe/Rome')).toEqual({ date: '2026-06-10', weekday: 'wed', minutes: 10 * 60 + 30 });
    expect(localTime(at('2026-06-10T02:00:00Z'), 'America/New_York')).toEqual({ date: '2026-06-09', weekday: 'tue', minutes: 22 * 60 });
    expect(localTime(at('2026-06-10T22:15:00Z'), 'UTC')).toEqual({ date: '2026-06-10', weekday: 'wed', minutes: 22 * 60 + 15 });
  });

  it('follows Rome across the spring-forward and fall-back Sundays', () => {
    // 29 March 2026: 02:00 CET jumps to 03:00 CEST.
    expect(localTime(at('2026-03-29T00:59:00Z'), 'Europe/Rome')).toMatchObject({ date: '2026-03-29', minutes: 1 * 60 + 59 });
    expect(localTime(at('2026-03-29T01:00:00Z'), 'Europe/Rome')).toMatchObject({ date: '2026-03-29', minutes: 3 * 60 });
    // 25 October 2026: 03:00 CEST falls back to 02:00 CET, so 02:30 happens twice.
    expect(localTime(at('2026-10-25T00:30:00Z'), 'Europe/Rome')).toMatchObject({ date: '2026-10-25', minutes: 2 * 60 + 30 });
    expect(localTime(at('2026-10-25T01:30:00Z'), 'Europe/Rome')).toMatchObject({ date: '2026-10-25', minutes: 2 * 60 + 30 });
    // Midnight is 00:00, never 24:00.
    expect(localTime(at('2026-10-25T23:00:00Z'), 'Europe/Rome')).toEqual({ date: '2026-10-26', weekday: 'mon', minutes: 0 });
  });
});

describe('openNow in Rome', () => {
  it('is open mid-morning until the lunch break', () => {
    expect(openNow(ROME, at('2026-06-10T08:30:00Z'))).toEqual({ known: true, open: true, closesAt: '13:00' });
  });

  it('is closed over lunch and reopens the same afternoon', () => {
    expect(openNow(ROME, at('2026-06-10T11:30:00Z'))).toEqual({ known: true, open: false, next: { date: '2026-06-10', weekday: 'wed', opensAt: '14:00' } });
  });

  it('is closed from the closing minute and opens the next morning', () => {
    expect(openNow(ROME, at('2026-06-10T15:59:00Z'))).toEqual({ known: true, open: true, closesAt: '18:00' });
    expect(openNow(ROME, at('2026-06-10T16:00:00Z'))).toEqual({ known: true, open: false, next: { date: '2026-06-11', weekday: 'thu', opensAt: '09:00' } });
  });

  it('is closed before opening on the same day', () => {
    expect(openNow(ROME, at('2026-06-10T05:00:00Z'))).toEqual({ known: true, open: false, next: { date: '2026-06-10', weekday: 'wed', opensAt: '09:00' } });
  });

  it('is closed on Sunday and opens on Monday', () => {
    expect(openNow(ROME, at('2026-06-14T10:00:00Z'))).toEqual({ known: true, open: false, next: { date: '2026-06-15', weekday: 'mon', opensAt: '09:00' } });
    expect(dayStatus(ROME, '2026-06-14')).toEqual({ known: true, closed: true, ranges: [] });
  });

  it('skips closures: Christmas Eve evening opens again on the 28th', () => {
    expect(openNow(ROME, at('2026-12-24T18:00:00Z'))).toEqual({ known: true, open: false, next: { date: '2026-12-28', weekday: 'mon', opensAt: '09:00' } });
  });

  it('lets a closure win over the weekly hours, with its note', () => {
    // 25 December 2026 is a Friday, normally open.
    expect(dayStatus(ROME, '2026-12-25')).toEqual({ known: true, closed: true, closure: { date: '2026-12-25', note: 'Christmas' }, ranges: [] });
    expect(openNow(ROME, at('2026-12-25T09:00:00Z'))).toEqual({ known: true, open: false, next: { date: '2026-12-28', weekday: 'mon', opensAt: '09:00' } });
  });

  it('uses the business\'s day when the server\'s UTC day is another', () => {
    // Friday 22:30 UTC is already Saturday 00:30 in Rome: closed, opens Monday.
    expect(openNow(ROME, at('2026-06-12T22:30:00Z'))).toEqual({ known: true, open: false, next: { date: '2026-06-15', weekday: 'mon', opensAt: '09:00' } });
    // Saturday 02:00 UTC is still Friday 22:00 in New York: open until 23:00.
    expect(openNow(NEW_YORK, at('2026-06-13T02:00:00Z'))).toEqual({ known: true, open: true, closesAt: '23:00' });
  });

  it('reads the hours in local time on the days around the DST switch', () => {
    // Friday 27 March (CET, UTC+1): 08:30Z is 09:30, open. Monday 30 March (CEST, UTC+2): 06:30Z is 08:30, not yet.
    expect(openNow(ROME, at('2026-03-27T08:30:00Z'))).toMatchObject({ open: true, closesAt: '13:00' });
    expect(openNow(ROME, at('2026-03-30T06:30:00Z'))).toEqual({ known: true, open: false, next: { date: '2026-03-30', weekday: 'mon', opensAt: '09:00' } });
    // Monday 26 October (CET again): 16:30Z is 17:30, open; in summer time it would be 18:30, closed.
    expect(openNow(ROME, at('2026-10-26T16:30:00Z'))).toEqual({ known: true, open: true, closesAt: '18:00' });
  });
});

describe('openNow in New York on DST Sundays', () => {
  it('is open at 11:30 EDT on the spring-forward day (10:30 in standard time)', () => {
    expect(openNow(NEW_YORK, at('2026-03-08T15:30:00Z'))).toEqual({ known: true, open: true, closesAt: '15:00' });
  });

  it('is not yet open at 10:30 EST on the fall-back day (11:30 in daylight time)', () => {
    expect(openNow(NEW_YORK, at('2026-11-01T15:30:00Z'))).toEqual({ known: true, open: false, next: { date: '2026-11-01', weekday: 'sun', opensAt: '11:00' } });
  });
});

describe('openNow edge cases', () => {
  it('does not know when the hours are unset', () => {
    expect(openNow({ timezone: 'Europe/Rome', hours: undefined }, at('2026-06-10T08:30:00Z'))).toEqual({ known: false, open: false });
    expect(openNow({ timezone: 'Europe/Rome', hours: null }, at('2026-06-10T08:30:00Z'))).toEqual({ known: false, open: false });
    expect(dayStatus({ hours: null }, '2026-06-10')).toEqual({ known: false, closed: false, ranges: [] });
  });

  it('knows a closure day is closed even without weekly hours, but not when it reopens', () => {
    const profile = { hours: null, closures: [{ date: '2026-06-10', note: 'Inventory' }] };
    expect(dayStatus(profile, '2026-06-10')).toMatchObject({ known: true, closed: true, closure: { note: 'Inventory' } });
    expect(openNow({ ...profile, timezone: 'Europe/Rome' }, at('2026-06-10T08:30:00Z'))).toEqual({ known: true, open: false });
  });

  it('defaults to Rome when the business has no time zone', () => {
    expect(openNow({ hours: ROME.hours }, at('2026-06-12T22:30:00Z'))).toMatchObject({ open: false, next: { date: '2026-06-15' } });
  });

  it('merges back-to-back ranges for the closing time and sorts unsorted ones', () => {
    const hours = { ...ROME.hours, wed: [['13:00', '18:00'], ['09:00', '13:00']] as [string, string][] };
    expect(openNow({ timezone: 'Europe/Rome', hours }, at('2026-06-10T08:30:00Z'))).toEqual({ known: true, open: true, closesAt: '18:00' });
    expect(dayStatus({ hours }, '2026-06-10').ranges).toEqual([['09:00', '13:00'], ['13:00', '18:00']]);
  });

  it('stays open until midnight on a 24:00 range', () => {
    const hours = { ...ROME.hours, wed: [['18:00', '24:00']] as [string, string][] };
    expect(openNow({ timezone: 'Europe/Rome', hours }, at('2026-06-10T21:59:00Z'))).toEqual({ known: true, open: true, closesAt: '24:00' });
  });

  it('gives no next opening when none falls within 14 days', () => {
    const shut = { mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] };
    expect(openNow({ timezone: 'Europe/Rome', hours: shut }, at('2026-06-10T08:30:00Z'))).toEqual({ known: true, open: false });
    // From Thursday 11 June, Fridays only: the 12th and 19th are closures, the 26th is 15 days ahead.
    const fridaysOnly = { ...shut, fri: SPLIT };
    const closures = ['2026-06-12', '2026-06-19'].map((date) => ({ date, note: 'Holiday' }));
    expect(openNow({ timezone: 'Europe/Rome', hours: fridaysOnly, closures: closures.slice(0, 1) }, at('2026-06-11T08:30:00Z'))).toEqual({
      known: true,
      open: false,
      next: { date: '2026-06-19', weekday: 'fri', opensAt: '09:00' },
    });
    expect(openNow({ timezone: 'Europe/Rome', hours: fridaysOnly, closures }, at('2026-06-11T08:30:00Z'))).toEqual({ known: true, open: false });
  });
});

describe('nextWeekday', () => {
  it('gives the same day or the next one of that weekday', () => {
    // 1 December 2026 is a Tuesday.
    expect(weekdayOf('2026-12-01')).toBe('tue');
    expect(nextWeekday('tue', '2026-12-01')).toBe('2026-12-01');
    expect(nextWeekday('sun', '2026-12-01')).toBe('2026-12-06');
    expect(nextWeekday('mon', '2026-12-01')).toBe('2026-12-07');
    // Across a month and a year end.
    expect(nextWeekday('fri', '2026-12-30')).toBe('2027-01-01');
  });
});
