import { useEffect, useId, useRef, useState } from 'react';
import type { ErasureCounts } from '../../../shared/events';
import type { VisitorMatch } from '../../../shared/schemas/visitors';
import { downloadVisitorExport, useEraseVisitor, useVisitorSearch } from '../api/visitors';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorText } from '../components/ErrorText';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';

/** A visitor's rights (privacy.manage): find their conversations, download their data, erase it. */
export function VisitorsPage() {
  const { t } = useI18n();
  const id = useId();
  const [draft, setDraft] = useState('');
  const [q, setQ] = useState('');
  const [notes, setNotes] = useState(false);
  const [confirming, setConfirming] = useState<VisitorMatch | null>(null);
  const [done, setDone] = useState<{ session_id: string; counts: ErasureCounts } | null>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const search = useVisitorSearch(q);
  const erase = useEraseVisitor();
  const v = t.visitors;
  const rows = search.data?.data ?? [];
  // After an erasure the row (the dialog's opener) goes away: focus the outcome instead of the page.
  const doneRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  const download = async (m: VisitorMatch) => {
    setDownloadError(null);
    try {
      await downloadVisitorExport(m.session_id, notes);
    } catch (err) {
      setDownloadError(err);
    }
  };

  return (
    <div className="pad stack page">
      <section className="card-block stack">
        <h2>{v.title}</h2>
        <p className="muted">{v.intro}</p>
        <form
          role="search"
          aria-label={v.searchLabel}
          className="toolbar visitor-search"
          onSubmit={(e) => {
            e.preventDefault();
            setDone(null);
            setQ(draft.trim());
          }}
        >
          <label htmlFor={`${id}-q`} className="sr-only">{v.searchLabel}</label>
          <input id={`${id}-q`} type="search" value={draft} maxLength={200} placeholder={v.placeholder} onChange={(e) => setDraft(e.target.value)} />
          <button type="submit" className="primary" disabled={!draft.trim()}>{v.find}</button>
        </form>
        <label className="check-row small">
          <input type="checkbox" checked={notes} onChange={(e) => setNotes(e.target.checked)} /> {v.includeNotes}
        </label>
      </section>
      {done && (
        <p ref={doneRef} tabIndex={-1} role="status" className="card-block erased-note">{v.erased(done.session_id, done.counts.messages, done.counts.events_redacted, done.counts.deliveries_redacted)}</p>
      )}
      <ErrorText error={search.error ?? downloadError ?? erase.error} />
      {q && search.isSuccess && (
        <section className="card-block" aria-label={v.results}>
          {rows.length === 0 ? (
            <p className="muted">{v.none}</p>
          ) : (
            <table className="pricebook visitors" aria-label={v.results}>
              <thead>
                <tr><th scope="col">{v.session}</th><th scope="col">{v.name}</th><th scope="col">{v.started}</th><th scope="col">{v.last}</th><th scope="col">{v.messages}</th><th scope="col">{v.matchedBy}</th><th scope="col">{v.actions}</th></tr>
              </thead>
              <tbody>
                {rows.map((m) => (
                  <VisitorRow key={m.session_id} m={m} onDownload={() => void download(m)} onErase={() => setConfirming(m)} />
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
      {confirming && (
        <ConfirmDialog
          title={v.confirmTitle}
          body={v.confirmBody(confirming.session_id, confirming.messages)}
          confirm={v.erase}
          danger
          busy={erase.isPending}
          onClose={() => setConfirming(null)}
          onConfirm={() =>
            erase.mutate(confirming.session_id, {
              onSuccess: (r) => {
                setDone(r);
                setConfirming(null);
              },
              onError: () => setConfirming(null),
            })
          }
        >
          <p className="small muted">{v.confirmNote}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function VisitorRow({ m, onDownload, onErase }: { m: VisitorMatch; onDownload: () => void; onErase: () => void }) {
  const { t, lang } = useI18n();
  const v = t.visitors;
  return (
    <tr>
      <td className="small session" data-label={v.session}><code>{m.session_id}</code></td>
      <td data-label={v.name}>{m.visitor_name ?? '—'}</td>
      <td className="small" data-label={v.started}>{formatDateTime(m.started_at, lang)}</td>
      <td className="small" data-label={v.last}>{formatDateTime(m.last_message_at, lang)}</td>
      <td data-label={v.messages}>{m.messages}</td>
      <td className="small" data-label={v.matchedBy}>{v.by[m.matched_by]}</td>
      <td className="row-actions">
        <div className="toolbar">
          <button type="button" onClick={onDownload} aria-label={v.downloadFor(m.session_id)}>{v.download}</button>
          <button type="button" className="danger" onClick={onErase} aria-label={v.eraseFor(m.session_id)}>{v.erase}</button>
        </div>
      </td>
    </tr>
  );
}
