import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { normalizeOriginPattern } from '../../../shared/origins';
import { useLogout } from '../api/auth';
import { publishFirstItems } from '../api/catalog';
import { ApiError, api } from '../api/client';
import { usePersonas, useWidgetKeys } from '../api/governance';
import { keys as queryKeys } from '../api/keys';
import { useSaveTenant } from '../api/office';
import type { Persona, Tenant } from '../api/types';
import { errorText } from '../components/ErrorText';
import { DEFAULT_HOURS, WeeklyHoursEditor } from '../components/WeeklyHoursEditor';
import { useI18n, type Dict } from '../i18n';
import { go } from '../router';

/** One line of the sites box: its allowlist form, or a bare host's https:// suggestion, or a plain-words problem. */
type SiteCheck = { site: string; ok: string } | { site: string; suggest: string } | { site: string; bad: true };
function checkSite(site: string): SiteCheck {
  const ok = normalizeOriginPattern(site);
  if (ok) return { site, ok };
  // A bare host gets https://; a page address (…/menu) its site. Both are offered, never applied silently.
  const candidate = (/^[a-z][a-z0-9+.-]*:\/\//i.test(site) ? site : `https://${site}`).replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#]*).*$/i, '$1');
  const suggest = normalizeOriginPattern(candidate);
  return suggest ? { site, suggest } : { site, bad: true };
}

/** The persona's instructions with its own name changed ("You are Bob, …" → "You are Giulia, …"); null when they do not use it. */
function renamedPrompt(prompt: string, from: string, to: string): string | null {
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const own = new RegExp(`\\b(You are|Your name is|I am|I'm|Sei|Ti chiami|Mi chiamo|Sono) ${escaped}\\b`, 'g');
  return own.test(prompt) ? prompt.replace(own, (_m, lead: string) => `${lead} ${to}`) : null;
}

/** The owner's first sign-in: which sites, what the assistant is called, what it says first. */
export function OnboardingWizard({ tenant }: { tenant: Tenant }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const keysQ = useWidgetKeys();
  const personas = usePersonas();
  const saveTenant = useSaveTenant();
  const logout = useLogout();
  const [step, setStep] = useState(1);
  const [sites, setSites] = useState('');
  const [name, setName] = useState<string | null>(null);
  // The widget greets in each language the business has on, so each gets its own first message.
  const languages = tenant.settings.languages;
  const [greetings, setGreetings] = useState({ en: tenant.settings.greeting ?? '', it: tenant.settings.greeting_it ?? '' });
  const [error, setError] = useState<string | null>(null);
  // Step 4 is optional: opening hours and up to three items, published as catalog v1.
  const [hours, setHours] = useState(tenant.settings.hours ?? DEFAULT_HOURS);
  const [items, setItems] = useState([0, 1, 2].map(() => ({ name: '', price: '' })));
  const persona = personas.data?.data.find((p) => p.is_default);
  const key = keysQ.data?.data.find((k) => k.status === 'active' && k.mode === 'live');
  const checks = sites.split('\n').map((s) => s.trim()).filter(Boolean).map(checkSite);
  const sitesOk = checks.every((c) => 'ok' in c);
  const useSuggestion = (c: { site: string; suggest: string }) =>
    setSites(sites.split('\n').map((line) => (line.trim() === c.site ? c.suggest : line)).join('\n'));

  const finish = async (extras: boolean) => {
    setError(null);
    try {
      const origins = checks.flatMap((c) => ('ok' in c ? [c.ok] : []));
      if (key && origins.length) await api(`/api/widget-keys/${key.id}`, { method: 'PATCH', body: { allowed_origins: [...new Set([...key.allowed_origins, ...origins])] } });
      if (persona && name && name.trim() !== persona.name) {
        const systemPrompt = renamedPrompt(persona.systemPrompt, persona.name, name.trim());
        await api<Persona>(`/api/personas/${persona.id}`, { method: 'PATCH', body: { name: name.trim(), ...(systemPrompt ? { systemPrompt } : {}) } });
      }
      const firstItems = items.filter((i) => i.name.trim()).map((i) => ({ name: i.name.trim(), price: i.price.trim() === '' ? null : Number(i.price) }));
      if (extras && firstItems.length) await publishFirstItems(firstItems);
      const greetingSettings = { ...(languages.includes('en') ? { greeting: greetings.en } : {}), ...(languages.includes('it') ? { greeting_it: greetings.it } : {}) };
      // The Widget and Personas pages must show what was just saved, not what was cached before it.
      await Promise.all([qc.invalidateQueries({ queryKey: queryKeys.widgetKeys.all }), qc.invalidateQueries({ queryKey: queryKeys.personas.all })]);
      await saveTenant.mutateAsync({ settings: { ...greetingSettings, ...(extras ? { hours } : {}), onboarded: true } });
      go('widget');
    } catch (err) {
      setError(errorText(t, err));
      setStep(err instanceof ApiError && /origin/i.test(err.message) ? 1 : step);
    }
  };

  return (
    <main className="login">
      <form className={step === 4 ? 'card wider' : 'card wide'} aria-label={t.onboarding.title} onSubmit={(e) => { e.preventDefault(); if (step === 1 && !sitesOk) return; if (step < 3) setStep(step + 1); else void finish(step === 4); }}>
        <div className="brand"><span className="logo" aria-hidden="true">B</span><h1>{t.onboarding.title}</h1></div>
        <p className="muted small">{step === 4 ? t.onboarding.extrasStep : t.onboarding.step(step)}</p>
        {step === 1 && (
          <>
            <label>{t.onboarding.sites}
              <textarea rows={3} autoFocus value={sites} onChange={(e) => setSites(e.target.value)} placeholder="https://www.example.com" aria-invalid={!sitesOk} aria-describedby="sites-check" />
              <span className="muted small">{t.onboarding.sitesHelp}</span>
            </label>
            <SiteProblems checks={checks} t={t} onUse={useSuggestion} />
          </>
        )}
        {step === 2 && <label>{t.onboarding.persona}<input autoFocus maxLength={60} required value={name ?? persona?.name ?? ''} onChange={(e) => setName(e.target.value)} /></label>}
        {step === 3 && languages.map((l, i) => (
          <label key={l}>{t.onboarding.greetingIn(t.onboarding.languageNames[l] ?? l)}
            <textarea rows={2} autoFocus={i === 0} maxLength={500} required value={greetings[l]} onChange={(e) => setGreetings({ ...greetings, [l]: e.target.value })} />
          </label>
        ))}
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

function SiteProblems({ checks, t, onUse }: { checks: SiteCheck[]; t: Dict; onUse: (c: { site: string; suggest: string }) => void }) {
  return (
    <ul id="sites-check" className="site-checks" aria-live="polite">
      {checks.map((c, i) =>
        'suggest' in c ? (
          <li key={i} className="small">
            {/^[a-z][a-z0-9+.-]*:\/\//i.test(c.site) ? t.onboarding.siteNotPage(c.site) : t.onboarding.siteNeedsScheme(c.site)} <button type="button" className="link" onClick={() => onUse(c)}>{t.onboarding.useSite(c.suggest)}</button>
          </li>
        ) : 'bad' in c ? (
          <li key={i} className="error small">{t.onboarding.siteBad(c.site)}</li>
        ) : null,
      )}
    </ul>
  );
}
