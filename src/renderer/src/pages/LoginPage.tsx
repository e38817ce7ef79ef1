import { useState, type FormEvent } from 'react';
import { useLogin } from '../api/auth';
import { ApiError } from '../api/client';
import { LAST_EMAIL } from '../api/invite';
import { useI18n } from '../i18n';
import { LanguageSwitch } from './LanguageSwitch';

export function LoginPage() {
  const { t } = useI18n();
  const login = useLogin();
  const [email, setEmail] = useState(() => localStorage.getItem(LAST_EMAIL) ?? '');
  const [password, setPassword] = useState('');
  const [remember, setRemember] = useState(true);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    login.mutate({ email, password, remember });
  };

  let error: string | null = null;
  if (login.error instanceof ApiError) {
    const err = login.error;
    error =
      err.code === 'invalid_credentials' ? t.invalidCredentials
      : err.code === 'rate_limited' ? t.rateLimited(Math.max(1, Math.ceil((err.retryAfter ?? 60) / 60)))
      : err.code === 'network' ? t.networkError
      : t.genericError;
  }

  return (
    <main className="login">
      <form className="card" onSubmit={submit} aria-describedby="login-intro">
        <div className="brand">
          <span className="logo" aria-hidden="true">B</span>
          <h1>{t.appName}</h1>
        </div>
        <p id="login-intro" className="muted">{t.signInIntro}</p>
        <label>
          {t.email}
          <input type="email" autoComplete="username" required autoFocus={!email} value={email} onChange={(e) => setEmail(e.target.value)} />
        </label>
        <label>
          {t.password}
          <input type="password" autoComplete="current-password" required autoFocus={!!email} value={password} onChange={(e) => setPassword(e.target.value)} />
        </label>
        {window.bob && (
          <label className="check"><input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> {t.remember}</label>
        )}
        {error && <p className="error" role="alert">{error}</p>}
        <button type="submit" className="primary" disabled={login.isPending}>
          {login.isPending ? <><span className="spinner" aria-hidden="true" /> {t.signingIn}</> : t.signIn}
        </button>
        <div className="card-footer"><LanguageSwitch /></div>
      </form>
    </main>
  );
}
