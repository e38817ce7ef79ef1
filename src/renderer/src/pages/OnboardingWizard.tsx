import { useState } from 'react';
import { useLogout } from '../api/auth';
import { publishFirstItems } from '../api/catalog';
import { ApiError, api } from '../api/client';
import { usePersonas, useWidgetKeys } from '../api/governance';
import { useSaveTenant } from '../api/office';
import type { Persona, Tenant } from '../api/types';
import { errorText } from '../components/ErrorText';
import { DEFAULT_HOURS, WeeklyHoursEditor } from '../components/WeeklyHoursEditor';
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
  // Step 4 is optional: opening hours and up to three items, published as catalog v1.
  const [hours, setHours] = useState(tenant.settings.hours ?? DEFAULT_HOURS);
  const [items, setItems] = useState([0, 1, 2].map(() => ({ name: '', price: '' })));
  const persona = personas.data?.data.find((p) => p.is_default);
  const key = keysQ.data?.data.find((k) => k.status === 'active' && k.mode === 'live');

  const finish = async (extras: boolean) => {
    setError(null);
    try {
      const origins = sites.split('\n').map((s) => s.trim()).filter(Boolean);
      if (key && origins.length) await api(`/api/widget-keys/${key.id}`, { method: 'PATCH', body: { allowed_origins: [...new Set([...key.allowed_origins, ...origins])] } });
      if (persona && name && name.trim() !== persona.name) await api<Persona>(`/api/personas/${persona.id}`, { method: 'PATCH', body: { name: name.trim() } });
      const firstItems = items.filter((i) => i.name.trim()).map((i) => ({ name: i.name.trim(), price: i.price.trim() === '' ? null : Number(i.price) }));
      if (extras && firstItems.length) await publishFirstItems(firstItems);
      await saveTenant.mutateAsync({ settings: { [greetingField]: greeting, ...(extras ? { hours } : {}), onboarded: true } });
      go('widget');
    } catch (err) {
      setError(errorText(t, err));
      setStep(err instanceof ApiError && /origin/i.test(err.message) ? 1 : step);
    }
  };

  return (
    <main className="login">
      <form className={step === 4 ? 'card wider' : 'card wide'} aria-label={t.onboarding.title} onSubmit={(e) => { e.preventDefault(); if (step < 3) setStep(step + 1); else void finish(step === 4); }}>
        <div className="brand"><span className="logo" aria-hidden="true">B</span><h1>{t.onboarding.title}</h1></div>
        <p className="muted small">{step === 4 ? t.onboarding.extrasStep : t.onboarding.step(step)}</p>
        {step === 1 && (
          <label>{t.onboarding.sites}
            <textarea rows={3} autoFocus value={sites} onChange={(e) => setSites(e.target.value)} placeholder="https://www.example.com" />
            <span className="muted small">{t.onboarding.sitesHelp}</span>
          </label>
        )}
        {step === 2 && <label>{t.onboarding.persona}<input autoFocus maxLength={60} required value={name ?? persona?.name ?? ''} onChange={(e) => setName(e.target.value)} /></label>}
        {step === 3 && <label>{t.onboarding.greeting}<textarea rows={2} autoFocus maxLength={500} required value={greeting} onChange={(e) => setGreeting(e.target.value)} /></label>}
        {step === 4 && (
          <>
            <h2 className="step-title">{t.onboarding.extras}</h2>
            <p className="muted small">{t.onboarding.extrasIntro}</p>
            <fieldset className="plain-fieldset">
              <legend>{t.profile.hours}</legend>
              <WeeklyHoursEditor value={hours} onChange={setHours} />
            </fieldset>
            <fieldset className="plain-fieldset first-items">
              <legend>{t.onboarding.firstItems}</legend>
              {items.map((item, i) => (
                <div key={i} className="first-item">
                  <label>{t.onboarding.itemName(i + 1)}<input maxLength={120} value={item.name} onChange={(e) => setItems(items.map((x, j) => (j === i ? { ...x, name: e.target.value } : x)))} /></label>
                  <label>{t.onboarding.itemPrice(i + 1)}<input type="number" min={0} step="0.01" inputMode="decimal" value={item.price} placeholder={t.catalog.onRequest}
                    onChange={(e) => setItems(items.map((x, j) => (j === i ? { ...x, price: e.target.value } : x)))} /></label>
                </div>
              ))}
            </fieldset>
          </>
        )}
        {error && <p className="error" role="alert">{error}</p>}
        <div className="toolbar">
          {step > 1 && <button type="button" onClick={() => setStep(step === 4 ? 3 : step - 1)}>{t.onboarding.back}</button>}
          {step === 3 && <button type="button" onClick={() => setStep(4)}>{t.onboarding.extrasOpen}</button>}
          {step === 4 && <button type="button" onClick={() => void finish(false)}>{t.onboarding.skip}</button>}
          <button type="submit" className="primary">{step < 3 ? t.onboarding.next : t.onboarding.finish}</button>
        </div>
        <div className="card-footer">
          <button type="button" onClick={() => logout.mutate()}>{t.signOut}</button>
        </div>
      </form>
    </main>
  );
}
