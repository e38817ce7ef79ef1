import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { api } from '../api/client';
import { errorText } from '../components/ErrorText';
import { useI18n } from '../i18n';
import { LanguageSwitch } from './LanguageSwitch';

/** A one-time invitation (#/invite/<token>): choose a password, then sign in. */
export function InvitePage({ token }: { token: string }) {
  const { t } = useI18n();
  const info = useQuery({ queryKey: ['invite', token], queryFn: () => api<{ email: string; name: string }>(`/api/auth/invite?token=${encodeURIComponent(token)}`), retry: false });
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [state, setState] = useState<'idle' | 'saving' | 'done' | string>('idle');
  const mismatch = repeat.length > 0 && repeat !== password;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password.length < 10 || mismatch) return;
    setState('saving');
    try {
      await api('/api/auth/accept-invite', { method: 'POST', body: { token, password } });
      setState('done');
    } catch (err) {
      setState(errorText(t, err));
    }
  };

  return (
    <main className="login">
      <form className="card" onSubmit={(e) => void submit(e)}>
        <div className="brand"><span className="logo" aria-hidden="true">B</span><h1>{t.invite.title}</h1></div>
        {info.isPending && <p className="muted">{t.loading}</p>}
        {info.isError && <p className="error" role="alert">{t.invite.invalid}</p>}
        {info.data && state !== 'done' && (
          <>
            <p className="muted">{t.invite.intro(info.data.name, info.data.email)}</p>
            <label>{t.invite.password}<input type="password" autoComplete="new-password" minLength={10} required autoFocus value={password} onChange={(e) => setPassword(e.target.value)} /></label>
            <label>{t.invite.repeat}<input type="password" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.target.value)} aria-invalid={mismatch} /></label>
            {mismatch && <p className="error small">{t.invite.mismatch}</p>}
            {state !== 'idle' && state !== 'saving' && <p className="error" role="alert">{state}</p>}
            <button type="submit" className="primary" disabled={state === 'saving' || password.length < 10 || mismatch}>{t.invite.submit}</button>
          </>
        )}
        {state === 'done' && (
          <>
            <p role="status">{t.invite.done}</p>
            <a className="button primary" href="#/live">{t.signIn}</a>
          </>
        )}
        <div className="card-footer"><LanguageSwitch /></div>
      </form>
    </main>
  );
}
