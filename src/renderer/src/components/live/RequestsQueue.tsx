// When nobody is there (#23): Live → Requests. Visitors who wrote out of hours, or whose handoff
// nobody took, left an email or phone and a message; a person answers here, by email when the
// visitor left an address and Settings → Email is set, and always in the conversation.
import { useId, useState } from 'react';
import { ApiError } from '../../api/client';
import { useCallbacks, useReplyCallback, type Callback } from '../../api/callbacks';
import { useMe } from '../../api/auth';
import { ErrorText } from '../ErrorText';
import { formatDateTime } from '../../format';
import { useI18n } from '../../i18n';

/** The toggle in Live's list column: "Requests (N)", N the open ones. */
export function RequestsToggle({ open, onToggle }: { open: boolean; onToggle: () => void }) {
  const { t } = useI18n();
  const requests = useCallbacks('open');
  const n = requests.data?.length ?? 0;
  return (
    <button type="button" className={`requests-toggle${n > 0 ? ' has-requests' : ''}`} aria-pressed={open} title={t.requests.tabHint} onClick={onToggle}>
      {t.requests.tab(n)}
    </button>
  );
}

function ReplyForm({ request, onReplied }: { request: Callback; onReplied: (emailed: boolean) => void }) {
  const { t } = useI18n();
  const reply = useReplyCallback();
  const [text, setText] = useState('');
  const id = useId();
  const who = request.email ?? request.phone ?? t.requests.noContact;
  const failed = reply.error instanceof ApiError && reply.error.code === 'email_failed' ? reply.error : null;
  return (
    <form className="stack requests-reply" onSubmit={(e) => { e.preventDefault(); if (text.trim()) reply.mutate({ id: request.id, message: text.trim() }, { onSuccess: (r) => onReplied(r.emailed) }); }}>
      <label htmlFor={`${id}-text`}>{t.requests.reply}</label>
      <textarea id={`${id}-text`} rows={3} maxLength={4000} required value={text} aria-label={t.requests.replyFor(who)} onChange={(e) => setText(e.target.value)} />
      {failed ? <p className="error" role="alert">{t.requests.emailFailed(failed.message.replace(/^The email could not be sent: /, ''))}</p> : <ErrorText error={reply.error} />}
      <div className="toolbar">
        <button type="submit" className="primary" disabled={reply.isPending || !text.trim()}>{reply.isPending ? t.requests.sending : t.requests.send}</button>
      </div>
    </form>
  );
}

/** One request: contact, reason, time, message, the conversation, and a reply box while open. */
function RequestItem({ request, canReply, onReplied }: { request: Callback; canReply: boolean; onReplied: (emailed: boolean) => void }) {
  const { t, lang } = useI18n();
  return (
    <li className="card-block stack requests-item">
      <div className="row-top">
        <strong>
          {request.email ? <a href={`mailto:${request.email}`}>{request.email}</a> : request.phone ? <a href={`tel:${request.phone.replace(/[^0-9+]/g, '')}`}>{request.phone}</a> : t.requests.noContact}
          {request.email && request.phone ? <> · <a href={`tel:${request.phone.replace(/[^0-9+]/g, '')}`}>{request.phone}</a></> : null}
        </strong>
        <time className="muted small" dateTime={request.created_at}>{formatDateTime(request.created_at, lang)}</time>
      </div>
      <span className="muted small">{t.requests.reason[request.reason]}</span>
      <p className="requests-message">{request.message}</p>
      <a href={`#/live/${request.session_id}`} className="small">{t.requests.conversation}</a>
      {request.status === 'answered' && request.answered_at && <span className="muted small">{t.requests.answeredAt(formatDateTime(request.answered_at, lang))}</span>}
      {request.status === 'open' && canReply && <ReplyForm request={request} onReplied={onReplied} />}
    </li>
  );
}

/** The queue: open requests oldest first; answered ones (newest first) on a toggle. */
export function RequestsQueue() {
  const { t } = useI18n();
  const me = useMe();
  const [answered, setAnswered] = useState(false);
  const list = useCallbacks(answered ? 'answered' : 'open');
  const canReply = !!me.data?.user.permissions.includes('chat.manage');
  // The answered request leaves the open list: what happened to its email is said here.
  const [outcome, setOutcome] = useState<boolean | null>(null);
  return (
    <section className="list requests-queue pad stack" aria-label={t.requests.title}>
      <h2>{t.requests.title}</h2>
      <label className="check-row">
        <input type="checkbox" checked={answered} onChange={(e) => setAnswered(e.target.checked)} /> {t.requests.showAnswered}
      </label>
      <p className="small" role="status">{outcome === null ? '' : outcome ? t.requests.emailed : t.requests.notEmailed}</p>
      {list.isPending && <p className="muted">{t.loading}</p>}
      {list.isError && <ErrorText error={list.error} />}
      {list.isSuccess && list.data.length === 0 && <p className="muted">{answered ? t.requests.emptyAnswered : t.requests.empty}</p>}
      <ul className="stack">
        {list.data?.map((r) => <RequestItem key={r.id} request={r} canReply={canReply} onReplied={setOutcome} />)}
      </ul>
    </section>
  );
}
