import { useEffect, useId, useRef } from 'react';
import { useI18n } from '../i18n';

/**
 * The in-app confirmation: a modal <dialog> (focus kept inside, starting on Cancel, Tab wraps; Escape
 * cancels) that shows what the action changes. Focus returns to the opener on close.
 */
export function ConfirmDialog({ title, body, confirm, children, onConfirm, onClose, busy, danger = false }: {
  title: string;
  body: string;
  confirm: string;
  children: React.ReactNode;
  onConfirm: () => void;
  onClose: () => void;
  busy: boolean;
  /** A destructive action (an erasure): the confirm button is red. */
  danger?: boolean;
}) {
  const { t } = useI18n();
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    ref.current?.showModal();
    return () => opener?.focus();
  }, []);
  // A modal <dialog> makes the page behind it inert, but Tab past its last control would leave
  // for the browser (or nowhere, in Electron): wrap around instead.
  const wrapTab = (e: React.KeyboardEvent<HTMLDialogElement>) => {
    if (e.key !== 'Tab' || !ref.current) return;
    const all = [...ref.current.querySelectorAll<HTMLElement>('button, [href], input, select, textarea, [tabindex]:not([tabindex="-1"])')].filter((el) => !el.matches(':disabled'));
    const [first, last] = [all[0], all[all.length - 1]];
    if (!first || !last) return;
    if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    } else if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    }
  };
  return (
    <dialog ref={ref} className="dialog" aria-labelledby={`${id}-title`} aria-describedby={`${id}-body`} onKeyDown={wrapTab} onCancel={(e) => { e.preventDefault(); onClose(); }}>
      <h2 id={`${id}-title`}>{title}</h2>
      <p id={`${id}-body`}>{body}</p>
      <div className="dialog-body">{children}</div>
      <div className="toolbar end">
        <button type="button" autoFocus onClick={onClose}>{t.cancel}</button>
        <button type="button" className={danger ? 'primary destructive' : 'primary'} disabled={busy} onClick={onConfirm}>{busy && <span className="spinner" aria-hidden="true" />}{confirm}</button>
      </div>
    </dialog>
  );
}
