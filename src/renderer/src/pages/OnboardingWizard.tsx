import { useState } from 'react';
import { useLogout } from '../api/auth';
import { ApiError, api } from '../api/client';
import { usePersonas, useWidgetKeys } from '../api/governance';
import { useSaveTenant } from '../api/office';
import type { Persona, Tenant } from '../api/types';
import { errorText } from '../components/ErrorText';
import { useI18n } from '../i18n';
import { go } from '../router';

/** The owner's first sign-in: which sites, what the assistant is called, what it says first. */
export function OnboardingWizard({ tenant }: { tenant: Tenant }) {
  const { t, lang } = useI18n();
  const keysQ = useWidgetKeys();
  const personas = usePersonas();
  const saveTenant = useSaveTenant();
  const logout = useLogout();
  const [step, setStep] = useState(1);
  const [sites, setSites] = useState('');
  const [name, setName] = useState<string | null>(null);
  // The owner writes the greeting in the language they use Mission Control in.
  const greetingField = lang === 'it' ? 'greeting_it' : 'greeting';
  const [greeting, setGreeting] = useState(tenant.settings[greetingField] ?? '');
  const [error, setError] = useState<string | null>(null);
  const persona = personas.data?.data.find((p) => p.is_default);
  const key = keysQ.data?.data.find((k) => k.status === 'active' && k.mode === 'live');

  const finish = async () => {
    setError(null);
    try {
      const origins = sites.split('\n').map((s) => s.trim()).filter(Boolean);
      if (key && origins.length) await api(`/api/widget-keys/${key.id}`, { method: 'PATCH', body: { allowed_origins: [...new Set([...key.allowed_origins, ...origins])] } });
      if (persona && name && name.trim() !== persona.name) await api<Persona>(`/api/personas/${persona.id}`, { method: 'PATCH', body: { name: name.trim() } });
      await saveTenant.mutateAsync({ settings: { [greetingField]: greeting, onboarded: true } });
      go('widget');
    } catch (err) {
      setError(errorText(t, err));
      setStep(err instanceof ApiError && /origin/i.test(err.message) ? 1 : step);
    }
  };

  return (
    <main className="login">
      <form className="card wide" aria-label={t.onboarding.title} onSubmit={(e) => { e.preventDefault(); if (step < 3) setStep(step + 1); else void finish(); }}>
        <div className="brand"><span className="logo" aria-hidden="true">B</span><h1>{t.onboarding.title}</h1></div>
        <p className="muted small">{t.onboarding.step(step)}</p>
        {step === 1 && (
          <label>{t.onboarding.sites}
            <textarea rows={3} autoFocus value={sites} onChange={(e) => setSites(e.target.value)} placeholder="https://www.example.com" />
            <span className="muted small">{t.onboarding.sitesHelp}</span>
          </label>
        )}
        {step === 2 && <label>{t.onboarding.persona}<input autoFocus maxLength={60} required value={name ?? persona?.name ?? ''} onChange={(e) => setName(e.target.value)} /></label>}
        {step === 3 && <label>{t.onboarding.greeting}<textarea rows={2} autoFocus maxLength={500} required value={greeting} onChange={(e) => setGreeting(e.target.value)} /></label>}
        {error && <p className="error" role="alert">{error}</p>}
        <div className="toolbar">
          {step > 1 && <button type="button" onClick={() => setStep(step - 1)}>{t.onboarding.back}</button>}
          <button type="submit" className="primary">{step < 3 ? t.onboarding.next : t.onboarding.finish}</button>
        </div>
        <div className="card-footer">
          <button type="button" onClick={() => logout.mutate()}>{t.signOut}</button>
        </div>
      </form>
    </main>
  );
}
