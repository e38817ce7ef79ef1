import { useState } from 'react';
import { useMutation } from '@tanstack/react-query';
import type { MeResponse } from '../../../shared/schemas/auth';
import { api } from '../api/client';
import { ErrorText } from '../components/ErrorText';
import { useI18n } from '../i18n';

/** The signed-in person's own account: who they are and a new password (the demo ones must change before Bob opens up). */
export function AccountPage({ me }: { me: MeResponse }) {
  const { t } = useI18n();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const change = useMutation({ mutationFn: () => api<void>('/api/auth/password', { method: 'POST', body: { current_password: current, new_password: next } }) });
  const mismatch = repeat !== '' && repeat !== next;
  return (
    <div className="pad stack page">
      <section className="card-block stack">
        <h2>{t.account.title}</h2>
        <p>
          <strong>{me.user.name}</strong> · {me.user.email} · {t.roles[me.user.role]}
        </p>
      </section>
      <form
        className="card-block form stack"
        aria-label={t.account.password}
        onSubmit={(e) => {
          e.preventDefault();
          if (mismatch) return;
          change.mutate(undefined, { onSuccess: () => (setCurrent(''), setNext(''), setRepeat('')) });
        }}
      >
        <h2>{t.account.password}</h2>
        <label>{t.account.current}<input type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} /></label>
        <label>{t.account.next}<input type="password" autoComplete="new-password" required minLength={10} value={next} onChange={(e) => setNext(e.target.value)} /></label>
        <label>{t.account.repeat}<input type="password" autoComplete="new-password" required minLength={10} value={repeat} aria-invalid={mismatch} onChange={(e) => setRepeat(e.target.value)} /></label>
        {mismatch && <p className="error" role="alert">{t.account.mismatch}</p>}
        <ErrorText error={change.error} />
        <div className="toolbar">
          <button type="submit" className="primary" disabled={change.isPending || mismatch}>{change.isPending ? t.saving : t.account.change}</button>
          {change.isSuccess && <span role="status">{t.account.changed}</span>}
        </div>
      </form>
    </div>
  );
}
