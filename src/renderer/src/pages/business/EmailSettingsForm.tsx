// When nobody is there (#23): Business profile → Email (the business's SMTP server for replies to
// visitors, with "Send test") and how long a handoff may wait before the widget offers to answer later.
import { useEffect, useId, useState } from 'react';
import { useMe } from '../../api/auth';
import { useEmailSettings, useSaveEmailSettings, useTestEmail } from '../../api/callbacks';
import { useTenant } from '../../api/governance';
import { useSaveTenant } from '../../api/office';
import { ErrorText } from '../../components/ErrorText';
import { SaveBar } from '../../components/SaveBar';
import { useI18n } from '../../i18n';

interface Form { host: string; port: string; secure: boolean; user: string; password: string; from: string }
const EMPTY: Form = { host: '', port: '587', secure: false, user: '', password: '', from: '' };

function SmtpForm() {
  const { t } = useI18n();
  const settings = useEmailSettings();
  const save = useSaveEmailSettings();
  const test = useTestEmail();
  const id = useId();
  const [form, setForm] = useState<Form>(EMPTY);
  const [to, setTo] = useState('');
  useEffect(() => {
    const s = settings.data;
    if (s?.configured) setForm({ host: s.host, port: String(s.port), secure: s.secure, user: s.user, password: '', from: s.from });
  }, [settings.data]);
  if (!settings.data) return settings.error ? <ErrorText error={settings.error} /> : null;
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm({ ...form, [k]: v });
  const submit = () => {
    // An empty password keeps the stored one (the server never sends it back).
    const { password, port, ...rest } = form;
    save.mutate({ ...rest, port: Number(port), ...(password ? { password } : settings.data?.password_set ? {} : { password: '' }) }, { onSuccess: () => set('password', '') });
  };
  const result = test.data;
  return (
    <form className="card-block form stack" aria-label={t.emailSettings.title} onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <h2>{t.emailSettings.title}</h2>
      <p className="muted">{t.emailSettings.intro}</p>
      <div className="row-fields two">
        <label>{t.emailSettings.host}
          <input required maxLength={253} value={form.host} spellCheck={false} autoComplete="off" placeholder="smtp.example.com" onChange={(e) => set('host', e.target.value)} />
        </label>
        <label>{t.emailSettings.port}
          <input type="number" inputMode="numeric" required min={1} max={65535} step={1} value={form.port} onChange={(e) => set('port', e.target.value)} />
        </label>
      </div>
      <label className="check-row"><input type="checkbox" checked={form.secure} onChange={(e) => set('secure', e.target.checked)} /> {t.emailSettings.secure}</label>
      <div className="row-fields two">
        <label>{t.emailSettings.user}
          <input maxLength={254} value={form.user} autoComplete="off" spellCheck={false} onChange={(e) => set('user', e.target.value)} />
        </label>
        <label>{t.emailSettings.password}
          <input type="password" maxLength={512} value={form.password} autoComplete="new-password"
            placeholder={settings.data.password_set ? t.emailSettings.passwordSaved : undefined} onChange={(e) => set('password', e.target.value)} />
        </label>
      </div>
      <label>{t.emailSettings.from}
        <input type="email" required maxLength={254} value={form.from} autoComplete="off" placeholder="shop@example.com" onChange={(e) => set('from', e.target.value)} />
      </label>
      <SaveBar save={save} />
      <div className="row-fields two">
        <label>{t.emailSettings.testTo}
          <input id={`${id}-to`} type="email" maxLength={254} value={to} autoComplete="email" onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      <div className="toolbar">
        <button type="button" disabled={test.isPending || !to || !settings.data.configured} aria-describedby={settings.data.configured ? undefined : `${id}-first`}
          onClick={() => test.mutate(to)}>{test.isPending ? t.emailSettings.testing : t.emailSettings.test}</button>
        {!settings.data.configured && <span id={`${id}-first`} className="muted small">{t.emailSettings.saveFirst}</span>}
      </div>
      <ErrorText error={test.error} />
      <p className={`small${result && !result.ok ? ' error' : ''}`} role="status">
        {result && !test.isPending ? (result.ok ? t.emailSettings.testOk : t.emailSettings.testFailed(result.error ?? '')) : ''}
      </p>
    </form>
  );
}

/** settings.handoff_timeout_minutes through PATCH /api/tenant. */
function HandoffTimeoutForm() {
  const { t } = useI18n();
  const tenant = useTenant();
  const save = useSaveTenant();
  const id = useId();
  const [minutes, setMinutes] = useState('5');
  useEffect(() => {
    if (tenant.data) setMinutes(String(tenant.data.settings.handoff_timeout_minutes ?? 5));
  }, [tenant.data]);
  if (!tenant.data) return null;
  return (
    <form className="card-block form stack" aria-label={t.emailSettings.timeoutTitle} onSubmit={(e) => { e.preventDefault(); save.mutate({ settings: { handoff_timeout_minutes: Number(minutes) } }); }}>
      <h2>{t.emailSettings.timeoutTitle}</h2>
      <label>{t.emailSettings.timeout}
        <input type="number" inputMode="numeric" required min={1} max={240} step={1} value={minutes} aria-describedby={`${id}-help`} onChange={(e) => setMinutes(e.target.value)} />
      </label>
      <p id={`${id}-help`} className="muted small">{t.emailSettings.timeoutHelp}</p>
      <SaveBar save={save} />
    </form>
  );
}

/** Shown to those who may change the widget's settings (the server refuses the others). */
export function EmailSettingsForm() {
  const me = useMe();
  if (!me.data?.user.permissions.includes('widget.manage')) return null;
  return (
    <>
      <SmtpForm />
      <HandoffTimeoutForm />
    </>
  );
}
