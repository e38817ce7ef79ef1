import { useCallback, useEffect, useState } from 'react';
import { useTenant } from '../api/governance';
import { useModelConfig, useSaveModel, useTestModel } from '../api/model';
import { useSaveTenant } from '../api/office';
import type { Tenant } from '../api/types';
import { ErrorText } from '../components/ErrorText';
import { useI18n } from '../i18n';

export function SettingsPage({ canManageModel }: { canManageModel: boolean }) {
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
        {form.languages.includes('en') && (
          <label>{t.settings.greetingIn('English')}<textarea rows={2} maxLength={500} value={form.greeting} onChange={(e) => setForm({ ...form, greeting: e.target.value })} /></label>
        )}
        {form.languages.includes('it') && (
          <label>{t.settings.greetingIn('Italiano')}<textarea rows={2} maxLength={500} value={form.greeting_it ?? ''} onChange={(e) => setForm({ ...form, greeting_it: e.target.value })} /></label>
        )}
        <fieldset className="langs">
          <legend>{t.settings.languages}</legend>
          <label><input type="checkbox" checked={form.languages.includes('en')} onChange={() => toggleLang('en')} /> English</label>
          <label><input type="checkbox" checked={form.languages.includes('it')} onChange={() => toggleLang('it')} /> Italiano</label>
        </fieldset>
        <label>{t.settings.hours}<input value={form.office_hours} maxLength={200} onChange={(e) => setForm({ ...form, office_hours: e.target.value })} /></label>
        <label>{t.settings.color}<input type="color" value={form.theme_color} onChange={(e) => setForm({ ...form, theme_color: e.target.value })} /></label>
        <ErrorText error={save.error} />
        <div className="toolbar">
          <button type="submit" className="primary" disabled={save.isPending || form.languages.length === 0}>{save.isPending ? t.saving : t.save}</button>
          {save.isSuccess && <span className="muted small" role="status">{t.saved}</span>}
        </div>
      </form>
      <ModelProvider canManage={canManageModel} />
    </div>
  );
}

/** Which model answers; platform admins set it (unless the server's environment does) and test it. */
function ModelProvider({ canManage }: { canManage: boolean }) {
  const { t } = useI18n();
  const config = useModelConfig();
  const save = useSaveModel();
  const test = useTestModel();
  const [form, setForm] = useState({ enabled: true, base_url: 'http://127.0.0.1:11434/v1', model: '', timeout_s: 15 });
  useEffect(() => {
    const c = config.data;
    if (c?.base_url) setForm({ enabled: c.enabled, base_url: c.base_url, model: c.model ?? '', timeout_s: Math.round(c.timeout_ms / 1000) });
  }, [config.data]);
  const c = config.data;
  if (!c) return null;
  const status = c.source === 'none' ? t.settings.modelNone : c.enabled ? t.settings.modelActive(c.model ?? '', c.base_url ?? '') : t.settings.modelOff;
  const editable = canManage && c.source !== 'environment';
  const values = { base_url: form.base_url, model: form.model, timeout_ms: form.timeout_s * 1000 };
  return (
    <section className="card-block stack">
      <h2>{t.settings.model}</h2>
      <p className="muted">{t.settings.modelIntro}</p>
      <p role="status"><strong>{status}</strong> {c.source === 'environment' && <span className="muted small">{t.settings.modelEnv}</span>}</p>
      {editable && (
        <form className="form stack" aria-label={t.settings.model} onSubmit={(e) => { e.preventDefault(); save.mutate({ enabled: form.enabled, ...values }); }}>
          <label className="check-row"><input type="checkbox" checked={form.enabled} onChange={(e) => setForm({ ...form, enabled: e.target.checked })} /> {t.settings.modelEnabled}</label>
          <div className="row-fields three">
            <label>{t.settings.baseUrl}<input type="url" required value={form.base_url} onChange={(e) => setForm({ ...form, base_url: e.target.value })} placeholder="http://127.0.0.1:11434/v1" /></label>
            <label>{t.settings.modelName}<input required value={form.model} onChange={(e) => setForm({ ...form, model: e.target.value })} placeholder="llama3.2" maxLength={200} /></label>
            <label>{t.settings.timeout}<input type="number" min={1} max={120} value={form.timeout_s} onChange={(e) => setForm({ ...form, timeout_s: Number(e.target.value) || 15 })} /></label>
          </div>
          <ErrorText error={save.error} />
          {test.data && (
            <p className={test.data.ok ? 'ok' : 'error'} role="status">
              {test.data.ok ? t.settings.testOk(test.data.model ?? form.model, test.data.latency_ms ?? 0) : t.settings.testFailed(test.data.error ?? '')}
            </p>
          )}
          <div className="toolbar">
            <button type="submit" className="primary" disabled={save.isPending}>{save.isPending ? t.saving : t.save}</button>
            <button type="button" onClick={() => test.mutate(values)} disabled={test.isPending || !form.model}>
              {test.isPending && <span className="spinner" aria-hidden="true" />}{t.settings.test}
            </button>
            {save.isSuccess && <span className="muted small" role="status">{t.saved}</span>}
          </div>
        </form>
      )}
      <p className="muted small">{t.settings.keyStatus(c.api_key_set)}</p>
      {canManage && <ModelKey />}
    </section>
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
