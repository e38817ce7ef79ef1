import { useEffect, useState } from 'react';
import { useMe } from '../api/auth';
import { useWidgetKeyAction, useWidgetKeys, useWidgetSetup } from '../api/governance';
import type { WidgetKey } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorText } from '../components/ErrorText';
import { KeyIdentity } from '../components/KeyIdentity';
import { useI18n } from '../i18n';
import { formatDateTime } from '../format';

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
  // The preview belongs to this page: leaving it takes the widget away (it would cover Live's buttons).
  useEffect(() => (preview ? removePreview : undefined), [preview]);

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
    // A script already fetching still runs after removal: if the page was left meanwhile, undo what it adds.
    s.onload = () => s.isConnected || removePreview();
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
            <code data-testid="snippet" tabIndex={0}>{setup.data.snippet}</code>
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
          act.mutate({ kind: 'create', label, mode, origins: linesOf(origins) }, { onSuccess: () => { setLabel(''); setOrigins(''); } });
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

function removePreview() {
  document.querySelectorAll('script[data-bob-preview], [data-bob-widget]').forEach((el) => el.remove());
}

const linesOf = (text: string) => text.split('\n').map((o) => o.trim()).filter(Boolean);

function KeyRow({ k }: { k: WidgetKey }) {
  const { t, lang } = useI18n();
  const act = useWidgetKeyAction();
  const stored = k.allowed_origins.join('\n');
  const [origins, setOrigins] = useState(stored);
  // The box always shows what is stored: when the server's list changes (a refetch after onboarding,
  // another tab), it follows, unless the user has edits of their own in it.
  const [shown, setShown] = useState(stored);
  if (shown !== stored) {
    setShown(stored);
    if (origins.trim() === shown) setOrigins(stored);
  }
  const [confirmEmpty, setConfirmEmpty] = useState(false);
  const dirty = origins.trim() !== stored;
  const revoked = k.status === 'revoked';
  const save = () => act.mutate({ kind: 'origins', id: k.id, origins: linesOf(origins) }, { onSettled: () => setConfirmEmpty(false) });
  return (
    <article className={`key${revoked ? ' revoked' : ''}`} aria-label={k.label || k.key}>
      <div className="key-head">
        <strong>{k.label || '—'}</strong> <span className="pill">{k.mode}</span> {revoked && <span className="pill closed">{t.widget.revoked}</span>}
        <code className="small">{k.key}</code>
        <span className="muted small">{t.widget.lastUsed}: {k.last_used_at ? formatDateTime(k.last_used_at, lang) : t.widget.never}</span>
      </div>
      {!revoked && (
        <>
          <label className="small">{t.widget.origins}
            <textarea rows={2} value={origins} onChange={(e) => setOrigins(e.target.value)} />
          </label>
          <ErrorText error={act.error} small />
          <div className="toolbar">
            <button type="button" disabled={!dirty || act.isPending} onClick={() => (linesOf(origins).length ? save() : setConfirmEmpty(true))}>{t.save}</button>
            <button type="button" onClick={() => window.confirm(t.widget.confirmRotate) && act.mutate({ kind: 'rotate', id: k.id })}>{t.widget.rotate}</button>
            <button type="button" className="danger" onClick={() => window.confirm(t.widget.confirmRevoke) && act.mutate({ kind: 'revoke', id: k.id })}>{t.widget.revoke}</button>
          </div>
          <KeyIdentity k={k} />
          {confirmEmpty && (
            <ConfirmDialog title={t.widget.emptyTitle} body={t.widget.emptyBody} confirm={t.widget.emptyConfirm} busy={act.isPending} onConfirm={save} onClose={() => setConfirmEmpty(false)}>
              <ul>{k.allowed_origins.map((o) => <li key={o}><code>{o}</code></li>)}</ul>
            </ConfirmDialog>
          )}
        </>
      )}
    </article>
  );
}
