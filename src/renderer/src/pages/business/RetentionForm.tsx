import { useEffect, useId, useState } from 'react';
import { useRetentionPolicy, useSaveRetention } from '../../api/retention';
import { ErrorText } from '../../components/ErrorText';
import { SaveBar } from '../../components/SaveBar';
import { formatNumber } from '../../format';
import { useI18n } from '../../i18n';

const PRESETS = [30, 90, 365] as const;
type Choice = 'keep' | `${(typeof PRESETS)[number]}` | 'custom';

const choiceOf = (days: number | null): Choice => (days === null ? 'keep' : (PRESETS as readonly number[]).includes(days) ? (String(days) as Choice) : 'custom');

/** Business profile → Keep conversations: the business's retention (settings.retention_days) and the platform's cap. */
export function RetentionForm() {
  const { t, lang } = useI18n();
  const policy = useRetentionPolicy();
  const save = useSaveRetention();
  const id = useId();
  const [choice, setChoice] = useState<Choice>('keep');
  const [custom, setCustom] = useState('');
  useEffect(() => {
    if (!policy.data) return;
    setChoice(choiceOf(policy.data.days));
    setCustom(policy.data.days === null ? '' : String(policy.data.days));
  }, [policy.data]);
  if (!policy.data) return policy.error ? <ErrorText error={policy.error} /> : null;
  const n = (v: number) => formatNumber(v, lang);
  const { platform_max_days: cap, effective_days: effective, capped } = policy.data;
  const days = choice === 'keep' ? null : choice === 'custom' ? Number(custom) : Number(choice);

  return (
    <form className="card-block form stack" aria-label={t.retention.title} onSubmit={(e) => { e.preventDefault(); save.mutate(days); }}>
      <h2>{t.retention.title}</h2>
      <p className="muted">{t.retention.intro}</p>
      <div className="row-fields two">
        <label>{t.retention.label}
          <select value={choice} onChange={(e) => setChoice(e.target.value as Choice)} aria-describedby={cap !== null ? `${id}-cap` : undefined}>
            <option value="keep">{t.retention.keep}</option>
            {PRESETS.map((d) => <option key={d} value={String(d)}>{t.retention.days(n(d))}</option>)}
            <option value="custom">{t.retention.custom}</option>
          </select>
        </label>
        {choice === 'custom' && (
          <label className="days-field">{t.retention.customDays}
            <input type="number" inputMode="numeric" required min={1} max={3650} step={1} value={custom} onChange={(e) => setCustom(e.target.value)} />
          </label>
        )}
      </div>
      {cap !== null && <p id={`${id}-cap`} className="muted small">{t.retention.cap(n(cap))}</p>}
      {capped && effective !== null && <p className="small" role="note">{t.retention.capped(n(effective))}</p>}
      <SaveBar save={save} />
    </form>
  );
}
