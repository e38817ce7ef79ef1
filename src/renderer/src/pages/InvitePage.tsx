import { useState, type FormEvent } from 'react';
import { useAcceptInvite, useInviteInfo } from '../api/invite';
import { errorText } from '../components/ErrorText';
import { useI18n } from '../i18n';
import { go } from '../router';
import { LanguageSwitch } from './LanguageSwitch';

/** A one-time invitation (#/invite/<token>): choose a password and start working, already signed in. */
export function InvitePage({ token }: { token: string }) {
  const { t } = useI18n();
  const info = useInviteInfo(token);
  const accept = useAcceptInvite();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const mismatch = repeat.length > 0 && repeat !== password;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password.length < 10 || mismatch) return;
    // Owners meet the onboarding wizard first (Home shows it whatever the section); agents start in Live.
    accept.mutate({ token, password }, { onSuccess: () => go('live') });
  };

  return (
    <main className="login">
      <form className="card" onSubmit={submit}>
        <div className="brand"><span className="logo" aria-hidden="true">B</span><h1>{t.invite.title}</h1></div>
        {info.isPending && <p className="muted">{t.loading}</p>}
        {info.isError && <p className="error" role="alert">{t.invite.invalid}</p>}
        {info.data && (
          <>
            {info.data.business_name && <p><strong>{t.invite.business(info.data.business_name)}</strong></p>}
            <p className="muted">{t.invite.intro(info.data.name, info.data.email)}</p>
            <label>{t.invite.password}<input type="password" autoComplete="new-password" minLength={10} required autoFocus value={password} onChange={(e) => setPassword(e.target.value)} /></label>
            <label>{t.invite.repeat}<input type="password" autoComplete="new-password" required value={repeat} onChange={(e) => setRepeat(e.target.value)} aria-invalid={mismatch} /></label>
            {mismatch && <p className="error small">{t.invite.mismatch}</p>}
            {accept.error && <p className="error" role="alert">{errorText(t, accept.error)}</p>}
            <button type="submit" className="primary" disabled={accept.isPending || password.length < 10 || mismatch}>{t.invite.submit}</button>
          </>
        )}
        <div className="card-footer"><LanguageSwitch /></div>
      </form>
    </main>
  );
}
