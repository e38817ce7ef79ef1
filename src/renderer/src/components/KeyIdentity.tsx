import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api/client';
import { keys } from '../api/keys';
import type { WidgetKey } from '../api/types';
import { useI18n } from '../i18n';
import { ErrorText } from './ErrorText';

const EXAMPLE = `import { SignJWT } from 'jose';

// On your server, for the signed-in user (never in the page):
const token = await new SignJWT({ sub: user.id, name: user.name, email: user.email })
  .setProtectedHeader({ alg: 'HS256' })
  .setExpirationTime('10m')
  .sign(new TextEncoder().encode(process.env.BOB_IDENTITY_SECRET));
// In the page: window.Bob.identify(token)`;

/** Widget Setup → a key's identity verification: its secret (shown once), identity_required, how to sign (issue #23). */
export function KeyIdentity({ k }: { k: WidgetKey }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const [secret, setSecret] = useState('');
  const [copied, setCopied] = useState(false);
  const done = () => qc.invalidateQueries({ queryKey: keys.widgetKeys.all });
  const generate = useMutation({
    mutationFn: () => api<WidgetKey & { secret: string }>(`/api/widget-keys/${k.id}/identity-secret`, { method: 'POST' }),
    onSuccess: (r) => {
      setSecret(r.secret);
      setCopied(false);
      void done();
    },
  });
  const required = useMutation({
    mutationFn: (on: boolean) => api<WidgetKey>(`/api/widget-keys/${k.id}`, { method: 'PATCH', body: { identity_required: on } }),
    onSuccess: done,
  });
  const copy = async () => {
    await navigator.clipboard.writeText(secret);
    setCopied(true);
  };
  return (
    <details className="key-identity">
      <summary>{t.identity.title}</summary>
      <div className="stack">
        <p className="muted small">{t.identity.intro}</p>
        {secret ? (
          <div className="banner warn" role="note">
            <p>{t.identity.secretOnce}</p>
            <div className="snippet">
              <code data-testid="identity-secret" tabIndex={0}>{secret}</code>
              <button type="button" onClick={() => void copy()} aria-live="polite">{copied ? t.widget.copied : t.widget.copy}</button>
            </div>
          </div>
        ) : (
          <p className="small">{k.identity_secret_hint ? t.identity.secretHint(k.identity_secret_hint) : t.identity.noSecret}</p>
        )}
        <div className="toolbar">
          <button
            type="button"
            disabled={generate.isPending}
            onClick={() => (!k.identity_secret_hint || window.confirm(t.identity.confirmRotate)) && generate.mutate()}
          >
            {k.identity_secret_hint ? t.identity.rotate : t.identity.generate}
          </button>
        </div>
        <label className="check-row">
          <input type="checkbox" checked={k.identity_required} disabled={!k.identity_secret_hint || required.isPending} onChange={(e) => required.mutate(e.target.checked)} />
          {t.identity.required}
        </label>
        <p className="muted small">{t.identity.requiredHelp}</p>
        <ErrorText error={generate.error ?? required.error} small />
        <p className="small"><strong>{t.identity.example}</strong></p>
        <pre className="small"><code>{EXAMPLE}</code></pre>
      </div>
    </details>
  );
}
