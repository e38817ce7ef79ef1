import { useCallback, useEffect, useState } from 'react';
import { ApiError } from '../api/client';
import { useTenant } from '../api/governance';
import { useSaveTenant } from '../api/office';
import type { Tenant } from '../api/types';
import { useI18n } from '../i18n';

export function SettingsPage() {
  const { t } = useI18n();
  const tenant = useTenant();
  const save = useSaveTenant();
  const [form, setForm] = useState<Tenant['settings'] | null>(null);
  const [name, setName] = useState('');
  useEffect(() => {
    if (tenant.data) {
      setForm(tenant.data.settings);
      setName(tenant.data.name);
    }
  }, [tenant.data]);
  if (!tenant.data || !form) return <p className="muted pad">{t.loading}</p>;
  const toggleLang = (l: 'en' | 'it') =>
    setForm({ ...form, languages: form.languages.includes(l) ? form.languages.filter((x) => x !== l) : [...form.languages, l] });

  return (
    <div className="pad stack page">
      <form className="card-block form stack" aria-label={t.nav.settings} onSubmit={(e) => { e.preventDefault(); save.mutate({ name, settings: form }); }}>
        <h2>{t.settings.business}</h2>
        <label>{t.team.name}<input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} /></label>
        <p className="muted small">{t.settings.plan}: <strong>{tenant.data.plan_id}</strong></p>
        <label>{t.settings.greeting}<textarea rows={2} maxLength={500} value={form.greeting} onChange={(e) => setForm({ ...form, greeting: e.target.value })} /></label>
        <fieldset className="langs">
          <legend>{t.settings.languages}</legend>
          <label><input type="checkbox" checked={form.languages.includes('en')} onChange={() => toggleLang('en')} /> English</label>
          <label><input type="checkbox" checked={form.languages.includes('it')} onChange={() => toggleLang('it')} /> Italiano</label>
        </fieldset>
        <label>{t.settings.hours}<input value={form.office_hours} maxLength={200} onChange={(e) => setForm({ ...form, office_hours: e.target.value })} /></label>
        <label>{t.settings.color}<input type="color" value={form.theme_color} onChange={(e) => setForm({ ...form, theme_color: e.target.value })} /></label>
        {save.error instanceof ApiError && <p className="error" role="alert">{save.error.message}</p>}
        <div className="toolbar">
          <button type="submit" className="primary" disabled={save.isPending || form.languages.length === 0}>{save.isPending ? t.saving : t.save}</button>
          {save.isSuccess && <span className="muted small" role="status">{t.saved}</span>}
        </div>
      </form>
      <section className="card-block">
        <h2>{t.settings.model}</h2>
        <p className="muted">{t.settings.modelLater}</p>
        <ModelKey />
      </section>
    </div>
  );
}

/** Desktop only: the key goes into the OS keychain and never comes back to this page. */
function ModelKey() {
  const { t } = useI18n();
  const [key, setKey] = useState('');
  const [status, setStatus] = useState<{ store: string; reason: string | null; modelKeySaved: boolean } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = useCallback(async () => {
    const r = await window.bob?.secretsStatus();
    if (r?.ok && r.value) setStatus(r.value);
  }, []);
  useEffect(() => void refresh(), [refresh]);
  if (!window.bob) return <p className="muted small">{t.settings.browserOnly}</p>;
  if (status?.store === 'environment') return <p className="muted small">{t.settings.noKeychain(status.reason ?? '')}</p>;
  const run = async (call: Promise<{ ok: boolean; error?: string }>) => {
    const r = await call;
    setError(r.ok ? null : (r.error ?? t.genericError));
    setKey('');
    await refresh();
  };
  return (
    <form className="form stack" onSubmit={(e) => { e.preventDefault(); void run(window.bob!.setModelKey(key)); }}>
      <label>{t.settings.apiKey}<input type="password" autoComplete="off" value={key} onChange={(e) => setKey(e.target.value)} /></label>
      <p className="muted small" role="status">{status?.modelKeySaved ? t.settings.keySaved : t.settings.keyNone}</p>
      {error && <p className="error" role="alert">{error}</p>}
      <div className="toolbar">
        <button type="submit" className="primary" disabled={!key.trim()}>{t.settings.keySave}</button>
        {status?.modelKeySaved && <button type="button" onClick={() => void run(window.bob!.clearModelKey())}>{t.settings.keyClear}</button>}
      </div>
    </form>
  );
}
