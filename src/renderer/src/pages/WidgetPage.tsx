import { useState } from 'react';
import { useMe } from '../api/auth';
import { useWidgetKeyAction, useWidgetKeys, useWidgetSetup } from '../api/governance';
import type { WidgetKey } from '../api/types';
import { ErrorText } from '../components/ErrorText';
import { useI18n } from '../i18n';

export function WidgetPage() {
  const { t } = useI18n();
  const setup = useWidgetSetup();
  const me = useMe();
  const canSetAddress = !!me.data?.user.permissions.includes('settings.manage');
  const keysQ = useWidgetKeys();
  const act = useWidgetKeyAction();
  const [copied, setCopied] = useState(false);
  const [label, setLabel] = useState('');
  const [mode, setMode] = useState<'live' | 'test'>('live');
  const [origins, setOrigins] = useState('');
  const [preview, setPreview] = useState(false);

  const copy = async () => {
    await navigator.clipboard.writeText(setup.data!.snippet);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  };
  const showPreview = () => {
    // Loads the real widget into this page (same origin, so allowed by the script-src policy).
    if (!setup.data || document.querySelector('script[data-bob-preview]')) return;
    const s = Object.assign(document.createElement('script'), { src: setup.data.script_url.replace(/^https?:\/\/[^/]+/, ''), async: true });
    s.dataset.bobPreview = '';
    document.body.append(s);
    setPreview(true);
  };

  return (
    <div className="pad stack page">
      <section className="card-block">
        <h2>{t.widget.setup}</h2>
        <p className="muted">{t.widget.setupHelp}</p>
        {setup.data && setup.data.public_url_kind !== 'public' && (
          <div className="banner warn snippet-warning" role="note">
            <p>{t.network.unreachableBy(t.network.thisAddress, setup.data.public_url_kind)}</p>
            <p>{canSetAddress ? <a href="#/settings/connection">{t.network.setIt}</a> : t.network.askAdmin}</p>
          </div>
        )}
        {setup.data && (
          <div className="snippet">
            <code data-testid="snippet">{setup.data.snippet}</code>
            <button type="button" onClick={() => void copy()} aria-live="polite">{copied ? t.widget.copied : t.widget.copy}</button>
          </div>
        )}
        <div className="toolbar">
          <button type="button" onClick={showPreview} disabled={preview}>{t.widget.preview}</button>
          {preview && <span className="muted small">{t.widget.previewHelp}</span>}
        </div>
      </section>

      <section className="card-block">
        <h2>{t.widget.keys}</h2>
        {keysQ.data?.data.map((k) => <KeyRow key={k.id} k={k} />)}
        <form className="form stack" aria-label={t.widget.create} onSubmit={(e) => {
          e.preventDefault();
          act.mutate({ kind: 'create', label, mode, origins: origins.split('\n').map((o) => o.trim()).filter(Boolean) }, { onSuccess: () => { setLabel(''); setOrigins(''); } });
        }}>
          <h3>{t.widget.create}</h3>
          <div className="row-fields">
            <label>{t.widget.label}<input value={label} onChange={(e) => setLabel(e.target.value)} maxLength={80} /></label>
            <label>{t.widget.mode}
              <select value={mode} onChange={(e) => setMode(e.target.value as 'live' | 'test')}><option value="live">live</option><option value="test">test</option></select>
            </label>
          </div>
          <label>{t.widget.origins}<textarea rows={3} value={origins} onChange={(e) => setOrigins(e.target.value)} placeholder="https://www.example.com" /></label>
          <p className="muted small">{t.widget.originsHelp}</p>
          <ErrorText error={act.error} />
          <div className="toolbar"><button type="submit" className="primary" disabled={act.isPending}>{t.widget.create}</button></div>
        </form>
      </section>
    </div>
  );
}

function KeyRow({ k }: { k: WidgetKey }) {
  const { t } = useI18n();
  const act = useWidgetKeyAction();
  const [origins, setOrigins] = useState(k.allowed_origins.join('\n'));
  const dirty = origins.trim() !== k.allowed_origins.join('\n');
  const revoked = k.status === 'revoked';
  return (
    <article className={`key${revoked ? ' revoked' : ''}`} aria-label={k.label || k.key}>
      <div className="key-head">
        <strong>{k.label || '—'}</strong> <span className="pill">{k.mode}</span> {revoked && <span className="pill closed">{t.widget.revoked}</span>}
        <code className="small">{k.key}</code>
        <span className="muted small">{t.widget.lastUsed}: {k.last_used_at ? new Date(k.last_used_at).toLocaleString() : t.widget.never}</span>
      </div>
      {!revoked && (
        <>
          <label className="small">{t.widget.origins}
            <textarea rows={2} value={origins} onChange={(e) => setOrigins(e.target.value)} />
          </label>
          <ErrorText error={act.error} small />
          <div className="toolbar">
            <button type="button" disabled={!dirty || act.isPending} onClick={() => act.mutate({ kind: 'origins', id: k.id, origins: origins.split('\n').map((o) => o.trim()).filter(Boolean) })}>{t.save}</button>
            <button type="button" onClick={() => window.confirm(t.widget.confirmRotate) && act.mutate({ kind: 'rotate', id: k.id })}>{t.widget.rotate}</button>
            <button type="button" className="danger" onClick={() => window.confirm(t.widget.confirmRevoke) && act.mutate({ kind: 'revoke', id: k.id })}>{t.widget.revoke}</button>
          </div>
        </>
      )}
    </article>
  );
}
