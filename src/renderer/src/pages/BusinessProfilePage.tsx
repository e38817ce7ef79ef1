import { useEffect, useId, useMemo, useState } from 'react';
import type { Closure, TenantSettings, WeeklyHours } from '../../../shared/schemas/tenants';
import { useTenant } from '../api/governance';
import { useSaveTenant } from '../api/office';
import { ErrorText } from '../components/ErrorText';
import { SaveBar } from '../components/SaveBar';
import { DEFAULT_HOURS, WeeklyHoursEditor } from '../components/WeeklyHoursEditor';
import { useI18n } from '../i18n';
import { ConsentForm } from './business/ConsentForm';
import { EmailSettingsForm } from './business/EmailSettingsForm';
import { RetentionForm } from './business/RetentionForm';

type Profile = Required<Pick<TenantSettings, 'about' | 'address' | 'phone' | 'email' | 'website' | 'timezone' | 'closures'>> & { hours: WeeklyHours | null };
const TEXT_FIELDS = ['address', 'phone', 'email', 'website'] as const;
const INPUT_TYPE = { address: 'text', phone: 'tel', email: 'email', website: 'url' } as const;
const MAX = { about: 1000, address: 300, phone: 40, email: 254, website: 300 } as const;

const profileOf = (s: TenantSettings): Profile => ({
  about: s.about ?? '', address: s.address ?? '', phone: s.phone ?? '', email: s.email ?? '', website: s.website ?? '',
  timezone: s.timezone ?? 'Europe/Rome', hours: s.hours ?? null, closures: s.closures ?? [],
});

/** Every IANA zone the browser knows (a few when it cannot list them). */
function useTimeZones(): string[] {
  return useMemo(() => {
    try {
      return Intl.supportedValuesOf('timeZone');
    } catch {
      return ['Europe/Rome', 'Europe/London', 'UTC'];
    }
  }, []);
}

/** What Bob answers from about the business: contacts, opening hours and closures (PATCH /api/tenant). */
export function BusinessProfilePage() {
  const { t } = useI18n();
  const tenant = useTenant();
  const save = useSaveTenant();
  const zones = useTimeZones();
  const id = useId();
  const [form, setForm] = useState<Profile | null>(null);
  useEffect(() => {
    if (tenant.data) setForm(profileOf(tenant.data.settings));
  }, [tenant.data]);
  if (!form) return tenant.error ? <ErrorText error={tenant.error} /> : <p className="muted pad">{t.loading}</p>;
  const set = <K extends keyof Profile>(k: K, v: Profile[K]) => setForm({ ...form, [k]: v });
  const setClosure = (i: number, patch: Partial<Closure>) => set('closures', form.closures.map((c, j) => (j === i ? { ...c, ...patch } : c)));

  return (
    <div className="pad stack page">
      <form className="card-block form stack profile-form" aria-label={t.nav.profile} onSubmit={(e) => { e.preventDefault(); save.mutate({ settings: form }); }}>
        <h2>{t.nav.profile}</h2>
        <p className="muted">{t.profile.intro}</p>
        <label>{t.profile.about}<textarea rows={3} maxLength={MAX.about} value={form.about} onChange={(e) => set('about', e.target.value)} /></label>
        <div className="row-fields two">
          {TEXT_FIELDS.map((f) => (
            <label key={f}>{t.profile[f]}
              <input type={INPUT_TYPE[f]} maxLength={MAX[f]} value={form[f]} onChange={(e) => set(f, e.target.value)}
                autoComplete={f === 'address' ? 'street-address' : f === 'phone' ? 'tel' : f === 'email' ? 'email' : 'url'}
                placeholder={f === 'website' ? 'https://' : undefined} />
            </label>
          ))}
        </div>
        <div className="field">
          <label>{t.profile.timezone}
            <input list={`${id}-zones`} value={form.timezone} onChange={(e) => set('timezone', e.target.value)} required maxLength={64}
              aria-invalid={!zones.includes(form.timezone) && form.timezone !== 'UTC'} aria-describedby={`${id}-tz-help`} spellCheck={false} />
          </label>
          <datalist id={`${id}-zones`}>{zones.map((z) => <option key={z} value={z} />)}</datalist>
          <span id={`${id}-tz-help`} className="muted small">{t.profile.timezoneHelp}</span>
        </div>

        <fieldset className="plain-fieldset stack">
          <legend>{t.profile.hours}</legend>
          <label className="check-row">
            <input type="checkbox" checked={form.hours !== null} onChange={(e) => set('hours', e.target.checked ? DEFAULT_HOURS : null)} /> {t.profile.hoursKnown}
          </label>
          {form.hours ? <WeeklyHoursEditor value={form.hours} onChange={(h) => set('hours', h)} /> : <p className="muted small">{t.profile.hoursUnknown}</p>}
        </fieldset>

        <fieldset className="plain-fieldset stack">
          <legend>{t.profile.closures}</legend>
          <p className="muted small">{t.profile.closuresHelp}</p>
          {form.closures.length === 0 && <p className="muted small">{t.profile.noClosures}</p>}
          <ul className="plain closures">
            {form.closures.map((c, i) => (
              <li key={i} className="closure">
                <label>{t.profile.date}<input type="date" required value={c.date} onChange={(e) => setClosure(i, { date: e.target.value })} /></label>
                <label>{t.profile.note}<input maxLength={200} value={c.note} onChange={(e) => setClosure(i, { note: e.target.value })} /></label>
                <button type="button" className="danger" aria-label={t.profile.removeClosure(c.date)} onClick={() => set('closures', form.closures.filter((_, j) => j !== i))}>{t.catalog.remove}</button>
              </li>
            ))}
          </ul>
          <div><button type="button" onClick={() => set('closures', [...form.closures, { date: new Date().toISOString().slice(0, 10), note: '' }])}>+ {t.profile.addClosure}</button></div>
        </fieldset>

        <SaveBar save={save} />
      </form>
      <ConsentForm />
      <RetentionForm />
      <EmailSettingsForm />
    </div>
  );
}
