// Files in conversations (issue #23): the Live composer's attach button, the files of a message in
// a transcript (images as thumbnails opening the full image, PDFs as links) and the business's
// storage on the Usage page.
import { useRef, useState } from 'react';
import { ApiError } from '../api/client';
import { ATTACHMENT_ACCEPT, attachmentUrl, MAX_ATTACHMENT_BYTES, useSendAttachment } from '../api/attachments';
import { useMe } from '../api/auth';
import type { ChatMessage, UsageReport } from '../api/types';
import { formatNumber } from '../format';
import { useI18n, type Dict, type Lang } from '../i18n';
import { errorText } from './ErrorText';
import './Attachments.css';

type FileRef = NonNullable<ChatMessage['attachments']>[number];

/** Bytes as a person reads them: KB, MB or GB in the UI language. */
export function formatBytes(n: number, lang: Lang): string {
  if (n < 1024) return `${formatNumber(n, lang)} B`;
  const [value, unit] = n >= 1024 ** 3 ? [n / 1024 ** 3, 'GB'] : n >= 1024 ** 2 ? [n / 1024 ** 2, 'MB'] : [n / 1024, 'KB'];
  const digits = value < 10 ? 1 : 0;
  return `${new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(value)} ${unit}`;
}

function problem(t: Dict, err: unknown): string {
  if (err instanceof ApiError && Object.hasOwn(t.attachments.errors, err.code)) return t.attachments.errors[err.code as keyof Dict['attachments']['errors']];
  return errorText(t, err);
}

/** The composer's paperclip: picks files and sends them one after the other. Hidden without chat.manage. */
export function AttachButton({ sessionId, onSent }: { sessionId: string; onSent?: () => void }) {
  const { t } = useI18n();
  const me = useMe();
  const picker = useRef<HTMLInputElement>(null);
  const upload = useSendAttachment();
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState<string | null>(null);
  if (!me.data?.user.permissions.includes('chat.manage')) return null;

  const send = async (files: File[]) => {
    setError(null);
    for (const file of files) {
      if (file.size > MAX_ATTACHMENT_BYTES) {
        setError(t.attachments.errors.too_large);
        continue;
      }
      setSending(file.name);
      try {
        await upload.mutateAsync({ session_id: sessionId, file });
        onSent?.();
      } catch (err) {
        setError(problem(t, err));
      }
    }
    setSending(null);
  };

  // Inside the composer's row: the button first; what is being sent, or went wrong, on a line below.
  return (
    <>
      <input ref={picker} type="file" accept={ATTACHMENT_ACCEPT} multiple hidden data-testid="attach-input"
        onChange={(e) => {
          const files = [...(e.target.files ?? [])];
          e.target.value = '';
          void send(files);
        }} />
      <button type="button" className="attach-btn" aria-label={t.attachments.attach} title={t.attachments.attach} disabled={!!sending} onClick={() => picker.current?.click()}>
        <svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true"><path d="M21 11l-8.5 8.5a5 5 0 0 1-7-7L14 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L15 7" /></svg>
      </button>
      {sending && <span className="muted small attach-note" role="status">{t.attachments.sending(sending)}</span>}
      {error && <p className="error small attach-note" role="alert">{error}</p>}
    </>
  );
}

/** A message's files: image thumbnails (the full image in a new tab) and links to PDFs. */
export function MessageFiles({ files }: { files: FileRef[] }) {
  const { t, lang } = useI18n();
  return (
    <span className="files">
      {files.map((f) =>
        f.type.startsWith('image/') ? (
          <a key={f.id} className="file-thumb" href={attachmentUrl(f.id)} target="_blank" rel="noopener noreferrer" title={t.attachments.openImage(f.name)}>
            <img src={attachmentUrl(f.id)} alt={f.name} loading="lazy" />
          </a>
        ) : (
          <a key={f.id} className="file-link" href={attachmentUrl(f.id)} download={f.name}>
            <svg className="file-icon" viewBox="0 0 24 24" width="16" height="16" fill="none" stroke="currentColor" strokeWidth="2" aria-hidden="true"><path d="M14 3H6a2 2 0 0 0-2 2v14a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9z M14 3v6h6" /></svg>{f.name}<span className="muted small"> · PDF, {formatBytes(f.size, lang)}</span>
          </a>
        ),
      )}
    </span>
  );
}

/** The business's files against its plan's storage (Usage). */
export function StorageUsage({ storage }: { storage: UsageReport['storage'] }) {
  const { t, lang } = useI18n();
  if (!storage) return null;
  const used = formatBytes(storage.used_bytes, lang);
  const limit = storage.limit_bytes;
  return (
    <p className="muted small storage-usage" data-testid="storage-usage">
      {limit === null ? t.attachments.storageUnlimited(used) : t.attachments.storage(used, formatBytes(limit, lang), formatNumber(Math.min(100, Math.round((storage.used_bytes / limit) * 100)), lang))}
      {limit !== null && <meter min={0} max={limit} value={storage.used_bytes} aria-label={t.attachments.storageLabel} />}
    </p>
  );
}
