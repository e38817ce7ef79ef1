import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ListenScope, NetworkCheckResult, NetworkSettings, NetworkSettingsInput } from '../../../shared/schemas/network';
import { usePublishedPricebook, useTenant } from '../api/governance';
import { useModelConfig, useSaveModel, useTestModel } from '../api/model';
import { useCheckNetwork, useNetworkSettings, useSaveNetwork } from '../api/network';
import { useSaveTenant } from '../api/office';
import type { Tenant } from '../api/types';
import { BackupsCard } from '../components/BackupsCard';
import { ErrorText } from '../components/ErrorText';
import { formatLanguage } from '../format';
import { useI18n, type Dict } from '../i18n';
import { useRoute } from '../router';

export function SettingsPage({ canManageModel }: { canManageModel: boolean }) {
  const { t, lang } = useI18n();
  const tenant = useTenant();
  const pricebook = usePublishedPricebook();
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
        <p className="muted small">{t.settings.plan}: <strong>{pricebook.data?.plans.find((p) => p.id === tenant.data.plan_id)?.name ?? tenant.data.plan_id}</strong></p>
        {form.languages.includes('en') && (
          <label>{t.settings.greetingIn(formatLanguage('en', lang))}<textarea rows={2} maxLength={500} value={form.greeting} onChange={(e) => setForm({ ...form, greeting: e.target.value })} /></label>
        )}
        {form.languages.includes('it') && (
          <label>{t.settings.greetingIn(formatLanguage('it', lang))}<textarea rows={2} maxLength={500} value={form.greeting_it ?? ''} onChange={(e) => setForm({ ...form, greeting_it: e.target.value })} /></label>
        )}
        <fieldset className="langs">
          <legend>{t.settings.languages}</legend>
          <label><input type="checkbox" checked={form.languages.includes('en')} onChange={() => toggleLang('en')} /> {formatLanguage('en', lang, true)}</label>
          <label><input type="checkbox" checked={form.languages.includes('it')} onChange={() => toggleLang('it')} /> {formatLanguage('it', lang, true)}</label>
        </fieldset>
        <label>{t.settings.hours}<input value={form.office_hours} maxLength={200} onChange={(e) => setForm({ ...form, office_hours: e.target.value })} /></label>
        <label>{t.settings.color}<input type="color" value={form.theme_color} onChange={(e) => setForm({ ...form, theme_color: e.target.value })} /></label>
        <label className="check-row"><input type="checkbox" checked={form.ask_bob_or_person === true} onChange={(e) => setForm({ ...form, ask_bob_or_person: e.target.checked })} /> {t.settings.askBobOrPerson}</label>
        <label className="check-row"><input type="checkbox" checked={form.widget_sound === true} onChange={(e) => setForm({ ...form, widget_sound: e.target.checked })} /> {t.settings.widgetSound}</label>
        <ErrorText error={save.error} />
        <div className="toolbar">
          <button type="submit" className="primary" disabled={save.isPending || form.languages.length === 0}>{save.isPending ? t.saving : t.save}</button>
          {save.isSuccess && <span className="muted small" role="status">{t.saved}</span>}
        </div>
      </form>
      <ModelProvider canManage={canManageModel} />
      {canManageModel && <Connection />}
      {canManageModel && <BackupsCard />}
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

const SCOPES: ListenScope[] = ['loopback', 'lan', 'all'];
type NetworkForm = { follow: boolean; public_url: string; listen: ListenScope; port: string };
const formOf = (s: NetworkSettings): NetworkForm => ({
  follow: s.public_url_source === 'listening',
  public_url: s.public_url_source === 'listening' ? '' : s.public_url,
  listen: s.listen,
  port: String(s.port),
});

/** Where Bob listens and the address visitors use; platform admins only (it opens this computer to the network). */
function Connection() {
  const { t } = useI18n();
  const [, sub] = useRoute();
  const net = useNetworkSettings();
  const save = useSaveNetwork();
  const check = useCheckNetwork();
  const [form, setForm] = useState<NetworkForm | null>(null);
  const [moved, setMoved] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const id = useId();
  useEffect(() => {
    if (net.data) setForm(formOf(net.data));
  }, [net.data]);
  const ready = !!form;
  useEffect(() => {
    // The Widget page links here (#/settings/connection).
    if (ready && sub === 'connection') heading.current?.focus();
  }, [ready, sub]);
  const s = net.data;
  if (!s || !form) return <ErrorText error={net.error} />;

  // Only what changed and is not set by the environment: the server refuses to change a managed field.
  const changes = (): NetworkSettingsInput => {
    const input: NetworkSettingsInput = {};
    const url = form.follow ? null : form.public_url.trim();
    if (!s.managed.public_url && url !== (s.public_url_source === 'listening' ? null : s.public_url)) input.public_url = url;
    if (!s.managed.listen && form.listen !== s.listen) input.listen = form.listen;
    if (!s.managed.port && Number(form.port) !== s.port) input.port = Number(form.port);
    return input;
  };
  const submit = () => {
    const before = s.listening_url;
    setMoved(null);
    save.mutate(changes(), {
      onSuccess: (next) => setMoved(next.listening_url !== before && new URL(next.listening_url).origin !== window.location.origin ? next.listening_url : null),
    });
  };
  const runCheck = () => check.mutate(!form.follow && form.public_url.trim() && !s.managed.public_url ? { public_url: form.public_url.trim() } : {});
  const managedNote = (field: keyof NetworkSettings['managed'], variable: string) =>
    s.managed[field] && <span id={`${id}-${field}-env`} className="muted small">{t.network.managed(variable)}</span>;
  const describedBy = (field: keyof NetworkSettings['managed'], ...more: string[]) =>
    [...more, ...(s.managed[field] ? [`${id}-${field}-env`] : [])].join(' ') || undefined;

  return (
    <section className="card-block stack" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`} ref={heading} tabIndex={-1}>{t.network.title}</h2>
      <p className="muted">{t.network.intro}</p>
      <p>{t.network.status(s.listening_url, s.public_url)}</p>
      {s.public_url_kind !== 'public' && <p className="banner warn">{t.network.unreachableBy(s.public_url, s.public_url_kind)}</p>}
      {s.demo_passwords && <p className="banner warn">{t.network.demo}</p>}
      <form className="form stack" aria-label={t.network.title} onSubmit={(e) => { e.preventDefault(); submit(); }}>
        <div className="field">
          <label>{t.network.publicUrl}
            <input type="url" value={form.public_url} placeholder="https://chat.example.com" maxLength={500}
              required={!form.follow} disabled={form.follow || s.managed.public_url} aria-describedby={describedBy('public_url', `${id}-url-help`)}
              onChange={(e) => setForm({ ...form, public_url: e.target.value })} />
          </label>
          {managedNote('public_url', 'BOB_PUBLIC_URL')}
          <span id={`${id}-url-help`} className="muted small">{t.network.publicUrlHelp}</span>
          <label className="check-row">
            <input type="checkbox" checked={form.follow} disabled={s.managed.public_url} onChange={(e) => setForm({ ...form, follow: e.target.checked })} /> {t.network.follow}
          </label>
        </div>
        <fieldset className="choices" disabled={s.managed.listen} aria-describedby={describedBy('listen')}>
          <legend>{t.network.listen}</legend>
          {SCOPES.map((v) => (
            <div key={v} className="choice">
              <label className="check-row">
                <input type="radio" name={`${id}-listen`} value={v} checked={form.listen === v} disabled={s.demo_passwords && v !== 'loopback'}
                  aria-describedby={`${id}-hint-${v}`} onChange={() => setForm({ ...form, listen: v })} /> {t.network.scopes[v]}
              </label>
              <span id={`${id}-hint-${v}`} className="muted small">{t.network.hints[v]}</span>
            </div>
          ))}
          {managedNote('listen', 'BOB_HOST')}
        </fieldset>
        <div className="field port-field">
          <label>{t.network.port}
            <input type="number" min={1} max={65535} required value={form.port} disabled={s.managed.port} aria-describedby={describedBy('port')}
              onChange={(e) => setForm({ ...form, port: e.target.value })} />
          </label>
          {managedNote('port', 'BOB_PORT')}
        </div>
        <ErrorText error={save.error} />
        <div className="toolbar">
          <button type="submit" className="primary" disabled={save.isPending}>{save.isPending ? t.saving : t.save}</button>
          <button type="button" onClick={runCheck} disabled={check.isPending}>
            {check.isPending && <span className="spinner" aria-hidden="true" />}{t.network.check}
          </button>
          {save.isSuccess && <span className="muted small" role="status">{t.saved}</span>}
        </div>
        {moved && <p role="status">{t.network.moved} <a href={`${moved}/app/`}>{moved}</a></p>}
        <div aria-live="polite" className="check-result">
          {check.data && <CheckResult r={check.data} port={s.port} />}
          <ErrorText error={check.error} />
        </div>
      </form>
    </section>
  );
}

function reasonText(t: Dict, reason: NonNullable<NetworkCheckResult['reason']>, port: number): string {
  if (reason === 'timeout' || reason === 'refused' || reason === 'network') return t.network.reasons.noAnswer(port);
  return t.network.reasons[reason](port);
}

function CheckResult({ r, port }: { r: NetworkCheckResult; port: number }) {
  const { t } = useI18n();
  if (r.result === 'reachable') return <p className="ok">✓ {t.network.reachable(r.url, r.latency_ms)}</p>;
  return (
    <>
      <p className="error">
        {r.result === 'other_server' ? t.network.otherServer : `${t.network.unreachable(r.url)} ${r.reason ? reasonText(t, r.reason, port) : ''}`}
      </p>
      {r.detail && <p className="muted small">{t.network.detail(r.detail)}</p>}
    </>
  );
}
