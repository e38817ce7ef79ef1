import { WEEKDAYS, type Closure, type WeeklyHours, type Weekday } from '../../../shared/schemas/tenants';

/** The zone of a business that has not set one (as TenantSettings.timezone documents). */
export const DEFAULT_TIME_ZONE = 'Europe/Rome';
/** How far ahead openNow looks for the next opening. */
const LOOKAHEAD_DAYS = 14;

export interface LocalTime {
  /** YYYY-MM-DD in the business's zone. */
  date: string;
  weekday: Weekday;
  /** Wall-clock minutes since local midnight (hour × 60 + minute), what opening hours are written in. */
  minutes: number;
}

export interface DayStatus {
  /** false when the weekly hours are unset and no closure names the day: Bob must not guess. */
  known: boolean;
  closed: boolean;
  closure?: Closure;
  /** The day's opening ranges in order; [] when closed or unknown. */
  ranges: [string, string][];
}

export interface OpenNow {
  known: boolean;
  open: boolean;
  /** When open: the end of the current range (contiguous ranges merged), HH:MM today; "24:00" = midnight. */
  closesAt?: string;
  /** When closed: the next opening today or within the next 14 days, closures skipped. */
  next?: { date: string; weekday: Weekday; opensAt: string };
}

export interface Profile {
  hours: WeeklyHours | null | undefined;
  closures?: Closure[] | undefined;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    // h23, not hour12: false, which some engines render as "24" at midnight.
    f = new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The business's local date, weekday and wall-clock time at `now`; Intl applies the zone's DST rules. */
export function localTime(now: Date, timeZone: string): LocalTime {
  const parts = Object.fromEntries(formatterFor(timeZone).formatToParts(now).map((p) => [p.type, p.value]));
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  return { date, weekday: weekdayOf(date), minutes: Number(parts.hour) * 60 + Number(parts.minute) };
}

// Calendar arithmetic on dates alone: UTC midnight has no DST to skip or repeat.
const utcDay = (date: string) => new Date(`${date}T00:00:00Z`);

/** The weekday of a YYYY-MM-DD date. */
export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[(utcDay(date).getUTCDay() + 6) % 7]!;
}

/** The YYYY-MM-DD date `days` later. */
export function addDays(date: string, days: number): string {
  const d = utcDay(date);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The date of the next `weekday` on or after `fromDate` (the same day when it already is one). */
export function nextWeekday(weekday: Weekday, fromDate: string): string {
  return addDays(fromDate, (WEEKDAYS.indexOf(weekday) - WEEKDAYS.indexOf(weekdayOf(fromDate)) + 7) % 7);
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3));

/** Whether the business opens on `date` (YYYY-MM-DD) and when: a closure wins over the weekly hours. */
export function dayStatus(profile: Profile, date: string): DayStatus {
  const closure = profile.closures?.find((c) => c.date === date);
  if (closure) return { known: true, closed: true, closure, ranges: [] };
  if (!profile.hours) return { known: false, closed: false, ranges: [] };
  const ranges = [...profile.hours[weekdayOf(date)]].sort((a, b) => toMinutes(a[0]) - toMinutes(b[0]));
  return { known: true, closed: ranges.length === 0, ranges };
}

/** Whether the business is open at `now` in its own zone, until when, or when it next opens. */
export function openNow(profile: Profile & { timezone?: string | undefined }, now: Date): OpenNow {
  const local = localTime(now, profile.timezone ?? DEFAULT_TIME_ZONE);
  const today = dayStatus(profile, local.date);
  if (!today.known) return { known: false, open: false };
  // Hours unset but today is a closure: closed now, the next opening is unknown.
  if (!profile.hours) return { known: true, open: false };

  const current = today.ranges.findIndex(([from, to]) => toMinutes(from) <= local.minutes && local.minutes < toMinutes(to));
  if (current >= 0) {
    let closesAt = today.ranges[current]![1];
    for (const [from, to] of today.ranges.slice(current + 1)) {
      if (toMinutes(from) > toMinutes(closesAt)) break;
      if (toMinutes(to) > toMinutes(closesAt)) closesAt = to;
    }
    return { known: true, open: true, closesAt };
  }

  const later = today.ranges.find(([from]) => toMinutes(from) > local.minutes);
  if (later) return { known: true, open: false, next: { date: local.date, weekday: local.weekday, opensAt: later[0] } };
  for (let i = 1; i <= LOOKAHEAD_DAYS; i++) {
    const date = addDays(local.date, i);
    const day = dayStatus(profile, date);
    if (day.ranges.length > 0) return { known: true, open: false, next: { date, weekday: weekdayOf(date), opensAt: day.ranges[0]![0] } };
  }
  return { known: true, open: false };
}
