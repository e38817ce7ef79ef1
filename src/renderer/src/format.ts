import type { Lang } from './i18n';

// Dates, times, numbers and language names follow the UI language, never the browser's locale:
// an Italian UI on an en-US computer reads 1 dic 2026, 21:07. Formatters are cached: lists
// format many rows.
const cache = new Map<string, unknown>();
function cached<T>(key: string, make: () => T): T {
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key) as T;
}
const dateTime = (lang: Lang, opts: Intl.DateTimeFormatOptions) => cached(`d|${lang}|${JSON.stringify(opts)}`, () => new Intl.DateTimeFormat(lang, opts));

type When = string | number | Date;
const toDate = (v: When) => (v instanceof Date ? v : new Date(v));

export const formatDate = (v: When, lang: Lang, opts: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }) => dateTime(lang, opts).format(toDate(v));
export const formatDateTime = (v: When, lang: Lang) => dateTime(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(toDate(v));
export const formatTime = (v: When, lang: Lang) => dateTime(lang, { timeStyle: 'short' }).format(toDate(v));
export const formatNumber = (n: number, lang: Lang) => cached(`n|${lang}`, () => new Intl.NumberFormat(lang)).format(n);
/** Whole amounts without cents (a list price), others with them. */
export const formatMoney = (n: number, currency: string, lang: Lang) =>
  cached(`m|${lang}|${currency}|${Number.isInteger(n)}`, () => new Intl.NumberFormat(lang, { style: 'currency', currency, maximumFractionDigits: Number.isInteger(n) ? 0 : 2 })).format(n);
/** A catalog price: always with cents, as a price list reads (€90.00, 8,50 €). */
export const formatPrice = (n: number, currency: string, lang: Lang) =>
  cached(`p|${lang}|${currency}`, () => new Intl.NumberFormat(lang, { style: 'currency', currency })).format(n);
/** A language's name in the UI language ("inglese" in Italian); `standalone` capitalises it for a label. */
export function formatLanguage(code: string, lang: Lang, standalone = false): string {
  const name = cached(`l|${lang}`, () => new Intl.DisplayNames([lang], { type: 'language' })).of(code) ?? code;
  return standalone ? name.charAt(0).toLocaleUpperCase(lang) + name.slice(1) : name;
}
/** A file size: 812 B, 4.2 kB, 1.3 MB (units of 1024, the number in the UI language). */
export function formatBytes(n: number, lang: Lang): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte'] as const;
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  // Intl's short byte is the word ("812 byte"): B, like kB and MB.
  if (i === 0) return `${formatNumber(n, lang)} B`;
  return cached(`b|${lang}|${i}`, () => new Intl.NumberFormat(lang, { style: 'unit', unit: units[i], unitDisplay: 'short', maximumFractionDigits: 1 })).format(n);
}
/** A share from 0 to 1 as a percentage: 0.83 → 83% (83 % in Italian). */
export const formatPercent = (share: number, lang: Lang) => cached(`%|${lang}`, () => new Intl.NumberFormat(lang, { style: 'percent', maximumFractionDigits: 0 })).format(share);
/** How long ago (or from now): "3 minutes ago", "ieri". The exact time belongs in a title next to it. */
export function formatRelative(v: When, lang: Lang, now = Date.now()): string {
  const s = (toDate(v).getTime() - now) / 1000;
  const steps: [Intl.RelativeTimeFormatUnit, number][] = [['second', 60], ['minute', 60], ['hour', 24], ['day', 30], ['month', 12], ['year', Infinity]];
  let value = s;
  for (const [unit, size] of steps) {
    if (Math.abs(value) < size) return cached(`r|${lang}`, () => new Intl.RelativeTimeFormat(lang, { numeric: 'auto' })).format(Math.round(value), unit);
    value /= size;
  }
  return formatDateTime(v, lang);
}
