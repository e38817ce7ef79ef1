import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId } from 'react';
import type { BackupOutcome, BackupsView } from '../../../shared/schemas/backups';
import { api } from '../api/client';
import { ErrorText } from './ErrorText';
import { formatBytes, formatDateTime, formatRelative } from '../format';
import { useI18n } from '../i18n';

const BACKUPS_KEY = ['settings', 'backups'] as const;

/** Settings → Backups (platform admins): the last automatic backup, its folder, and "Back up now". */
export function BackupsCard() {
  const { t, lang } = useI18n();
  const id = useId();
  const qc = useQueryClient();
  const view = useQuery({ queryKey: BACKUPS_KEY, queryFn: () => api<BackupsView>('/api/settings/backups') });
  const run = useMutation({
    mutationFn: () => api<BackupOutcome>('/api/settings/backups/run', { method: 'POST', body: {} }),
    onSettled: () => qc.invalidateQueries({ queryKey: BACKUPS_KEY }),
  });
  const v = view.data;
  if (!v) return <ErrorText error={view.error} />;
  const last = v.last;
  const when = (at: string) => <time dateTime={at} title={formatDateTime(at, lang)}>{formatDateTime(at, lang)} ({formatRelative(at, lang)})</time>;
  const busy = run.isPending || v.running;

  return (
    <section className="card-block stack backups" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t.backups.title}</h2>
      <p className="muted">{t.backups.intro}</p>
      {v.mode === 'postgres' && <p className="muted small">{t.backups.postgres}</p>}
      {!v.automatic && <p className="muted small">{t.backups.off}</p>}
      {last && !last.ok && (
        <p className="banner warn" role="alert">{t.backups.failed(last.error ?? t.genericError)}</p>
      )}
      <p>
        {t.backups.last}:{' '}
        {last ? (
          <strong>{when(last.at)}{last.ok && last.size !== null && <> · {t.backups.size}: {formatBytes(last.size, lang)}</>}</strong>
        ) : (
          <strong>{t.backups.none}</strong>
        )}
      </p>
      {last && !last.ok && v.last_ok_at && <p className="muted small">{t.backups.lastOk}: {when(v.last_ok_at)}</p>}
      {v.next_at && <p className="muted small">{t.backups.next}: {formatDateTime(v.next_at, lang)}</p>}
      {v.directory && (
        <p className="muted small">
          {t.backups.folder}: <code>{v.directory}</code> · {t.backups.kept(v.files.length)}
        </p>
      )}
      <ErrorText error={run.error} />
      <div className="toolbar">
        <button type="button" className="primary" onClick={() => run.mutate()} disabled={busy} aria-busy={busy}>
          {busy && <span className="spinner" aria-hidden="true" />}
          {busy ? t.backups.running : t.backups.run}
        </button>
        <span aria-live="polite" className="muted small">
          {run.data?.ok && !run.isPending && t.backups.done(formatBytes(run.data.size ?? 0, lang))}
        </span>
      </div>
    </section>
  );
}
