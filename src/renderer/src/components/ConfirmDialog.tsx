import { useEffect, useId, useRef } from 'react';
import { useI18n } from '../i18n';

/**
 * The in-app confirmation: a modal <dialog> (focus kept inside, starting on Cancel; Escape
 * cancels) that shows what the action changes. Focus returns to the opener on close.
 */
export function ConfirmDialog({ title, body, confirm, children, onConfirm, onClose, busy }: {
  title: string;
  body: string;
  confirm: string;
  children: React.ReactNode;
  onConfirm: () => void;
  onClose: () => void;
  busy: boolean;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    ref.current?.showModal();
    return () => opener?.focus();
  }, []);
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`} onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p id={`${id}-body`}>{body}</p>
      <div className="dialog-body">{children}</div>
      <div className="toolbar end">
        <button type="button" autoFocus onClick={onClose}>{t.cancel}</button>
        <button type="button" className="primary" disabled={busy} onClick={onConfirm}>{busy && <span className="spinner" aria-hidden="true" />}{confirm}</button>
      </div>
    </dialog>
  );
}
