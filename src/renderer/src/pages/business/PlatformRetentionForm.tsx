import { useEffect, useState } from 'react';
import { usePlatformRetention, useSavePlatformRetention } from '../../api/retention';
import { ErrorText } from '../../components/ErrorText';
import { SaveBar } from '../../components/SaveBar';
import { useI18n } from '../../i18n';

/** Businesses → Longest retention: the platform's maximum (GET/PUT /api/settings/retention). Empty: no maximum. */
export function PlatformRetentionForm() {
  const { t } = useI18n();
  const platform = usePlatformRetention();
  const save = useSavePlatformRetention();
  const [value, setValue] = useState('');
  useEffect(() => {
    if (platform.data) setValue(platform.data.max_days === null ? '' : String(platform.data.max_days));
  }, [platform.data]);
  if (!platform.data) return platform.error ? <ErrorText error={platform.error} /> : null;
  return (
    <section className="card-block platform-retention">
      <form className="form stack" aria-label={t.retention.platformTitle} onSubmit={(e) => { e.preventDefault(); save.mutate(value.trim() === '' ? null : Number(value)); }}>
        <h3>{t.retention.platformTitle}</h3>
        <p className="muted">{t.retention.platformIntro}</p>
        <label className="days-field">{t.retention.platformLabel}
          <input type="number" inputMode="numeric" min={1} max={3650} step={1} placeholder={t.retention.platformNone} value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <SaveBar save={save} />
      </form>
    </section>
  );
}
