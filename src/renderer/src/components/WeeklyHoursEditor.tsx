import { useId } from 'react';
import type { WeeklyHours } from '../../../shared/schemas/tenants';
import { WEEKDAYS, type Weekday } from '../../../shared/weekdays';
import { useI18n } from '../i18n';

export const DEFAULT_HOURS: WeeklyHours = {
  mon: [['09:00', '18:00']], tue: [['09:00', '18:00']], wed: [['09:00', '18:00']], thu: [['09:00', '18:00']], fri: [['09:00', '18:00']], sat: [], sun: [],
};
const WEEKDAYS_MON_FRI: Weekday[] = ['tue', 'wed', 'thu', 'fri'];

/** The weekday's name in the UI language (1 January 2024 was a Monday). */
export const dayName = (day: Weekday, lang: string) =>
  new Intl.DateTimeFormat(lang, { weekday: 'long', timeZone: 'UTC' }).format(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(day)));

/** Per day: closed, or one or more opening ranges. The schema checks order and overlaps on save. */
export function WeeklyHoursEditor({ value, onChange }: { value: WeeklyHours; onChange: (next: WeeklyHours) => void }) {
  const { t, lang } = useI18n();
  const id = useId();
  const setDay = (day: Weekday, ranges: WeeklyHours[Weekday]) => onChange({ ...value, [day]: ranges });
  const setTime = (day: Weekday, i: number, end: 0 | 1, time: string) =>
    setDay(day, value[day].map((r, j) => (j !== i ? r : ((end === 0 ? [time, r[1]] : [r[0], time]) as [string, string]))));
  const addRange = (day: Weekday) => {
    const last = value[day].at(-1);
    setDay(day, [...value[day], last ? [last[1] < '23:00' ? last[1] : '23:00', '23:59'] : ['09:00', '18:00']]);
  };
  return (
    <div className="hours-editor">
      <div className="toolbar">
        <button type="button" onClick={() => onChange({ ...value, ...Object.fromEntries(WEEKDAYS_MON_FRI.map((d) => [d, value.mon.map((r) => [...r])])) })}>{t.profile.copyMonday}</button>
      </div>
      {/* A group per day; a list item may not be a group, so these are plain boxes. */}
      <div className="hours-days">
        {WEEKDAYS.map((day) => {
          const name = dayName(day, lang);
          const closed = value[day].length === 0;
          return (
            <div key={day} className="hours-day" role="group" aria-labelledby={`${id}-${day}`}>
              <span id={`${id}-${day}`} className="day-name">{name}</span>
              <label className="check-row">
                <input type="checkbox" checked={closed} onChange={(e) => setDay(day, e.target.checked ? [] : [['09:00', '18:00']])} /> {t.profile.closed}
              </label>
              <div className="ranges">
                {value[day].map(([from, to], i) => (
                  <div key={i} className="range">
                    <label><span aria-hidden="true" className="muted small">{t.profile.opens}</span>
                      <input type="time" required value={from} onChange={(e) => setTime(day, i, 0, e.target.value)} aria-label={`${t.profile.range(name, i + 1)}: ${t.profile.opens}`} />
                    </label>
                    <span aria-hidden="true">–</span>
                    <label><span aria-hidden="true" className="muted small">{t.profile.closes}</span>
                      <input type="time" required value={to === '24:00' ? '23:59' : to} onChange={(e) => setTime(day, i, 1, e.target.value)} aria-label={`${t.profile.range(name, i + 1)}: ${t.profile.closes}`} />
                    </label>
                    {value[day].length > 1 && (
                      <button type="button" className="icon" aria-label={`${t.profile.removeRange}: ${t.profile.range(name, i + 1)}`} title={t.profile.removeRange}
                        onClick={() => setDay(day, value[day].filter((_, j) => j !== i))}>×</button>
                    )}
                  </div>
                ))}
                {!closed && value[day].length < 6 && (
                  <button type="button" className="link" onClick={() => addRange(day)} aria-label={`${t.profile.addRange}: ${name}`}>+ {t.profile.addRange}</button>
                )}
              </div>
            </div>
          );
        })}
      </div>
    </div>
  );
}
