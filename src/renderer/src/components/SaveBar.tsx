import { useI18n } from '../i18n';
import { ErrorText } from './ErrorText';

/** A form's end: what went wrong, Save (Saving… while it runs) and "Saved" once it has. */
export function SaveBar({ save }: { save: { error: unknown; isPending: boolean; isSuccess: boolean } }) {
  const { t } = useI18n();
  return (
    <>
      <ErrorText error={save.error} />
      <div className="toolbar">
        <button type="submit" className="primary" disabled={save.isPending}>{save.isPending ? t.saving : t.save}</button>
        <span className="muted small" role="status">{save.isSuccess && !save.isPending ? t.saved : ''}</span>
      </div>
    </>
  );
}
