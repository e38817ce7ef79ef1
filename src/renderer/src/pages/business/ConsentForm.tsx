import { useEffect, useId, useState } from 'react';
import { CONSENT_NOTICE_MAX } from '../../../../shared/schemas/tenants';
import { useTenant } from '../../api/governance';
import { useSaveTenant } from '../../api/office';
import { SaveBar } from '../../components/SaveBar';
import { useI18n } from '../../i18n';

interface ConsentSettings {
  consent_required: boolean;
  consent_notice: { en: string; it: string };
  privacy_policy_url: string;
}

/**
 * The business's privacy notice and whether visitors must accept it before chatting (issue #22):
 * PATCH /api/tenant, the same permission as the rest of the business profile. The version is the
 * server's (it goes up when the text or the address changes).
 */
export function ConsentForm() {
  const { t } = useI18n();
  const tenant = useTenant();
  const save = useSaveTenant();
  const id = useId();
  const [form, setForm] = useState<ConsentSettings | null>(null);
  useEffect(() => {
    const s = tenant.data?.settings;
    if (s) setForm({ consent_required: s.consent_required ?? false, consent_notice: s.consent_notice ?? { en: '', it: '' }, privacy_policy_url: s.privacy_policy_url ?? '' });
  }, [tenant.data]);
  if (!form) return null;
  const version = tenant.data?.settings.consent_version ?? 0;
  const setNotice = (lang: 'en' | 'it', text: string) => setForm({ ...form, consent_notice: { ...form.consent_notice, [lang]: text } });

  return (
    <form className="card-block form stack consent-form" aria-labelledby={`${id}-title`} onSubmit={(e) => { e.preventDefault(); save.mutate({ settings: form }); }}>
      <h2 id={`${id}-title`}>{t.consent.title}</h2>
      <p className="muted">{t.consent.intro}</p>
      <div className="field">
        <label className="check-row">
          <input type="checkbox" checked={form.consent_required} aria-describedby={`${id}-required-help`} onChange={(e) => setForm({ ...form, consent_required: e.target.checked })} /> {t.consent.required}
        </label>
        <span id={`${id}-required-help`} className="muted small">{t.consent.requiredHelp}</span>
      </div>
      <label>{t.consent.noticeEn}<textarea rows={4} maxLength={CONSENT_NOTICE_MAX} lang="en" value={form.consent_notice.en} onChange={(e) => setNotice('en', e.target.value)} /></label>
      <label>{t.consent.noticeIt}<textarea rows={4} maxLength={CONSENT_NOTICE_MAX} lang="it" value={form.consent_notice.it} onChange={(e) => setNotice('it', e.target.value)} /></label>
      <label>{t.consent.policyUrl}
        <input type="url" maxLength={500} placeholder="https://" autoComplete="url" value={form.privacy_policy_url} onChange={(e) => setForm({ ...form, privacy_policy_url: e.target.value })} />
      </label>
      <p className="muted small">{t.consent.version(version)}</p>
      <SaveBar save={save} />
    </form>
  );
}
