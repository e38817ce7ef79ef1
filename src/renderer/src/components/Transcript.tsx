import { useCallback, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { newTestHref } from '../api/answer-tests';
import { useMe } from '../api/auth';
import { useAddNote, useSendMessage, useSessionAction, useTranscript } from '../api/chat';
import { useI18n } from '../i18n';
import { formatDateTime, formatTime } from '../format';
import { visitorLabel } from './Conversations';
import { VisitorIdentity } from './VisitorIdentity';
import { RatingBadge } from './RatingBadge';
import { Receipt } from './Receipt';
import { MessageBody, SeenByVisitor, VisitorTyping } from './Presence';
import { useSeenReceipt, useTypingSignal } from '../api/presence';
import { CannedTextarea } from './CannedTextarea';
import { SessionTools } from './SessionTools';
import { AttachButton, MessageFiles } from './Attachments';

/** Closer than this to the end counts as reading the newest message. */
const BOTTOM_SLACK_PX = 40;

/**
 * Keeps a scroller at its newest message while the reader is there (it opens there too).
 * A reader who scrolled up is left in place and told that `count` grew instead.
 */
function useStickToBottom(count: number) {
  const ref = useRef<HTMLOListElement | null>(null);
  const resized = useRef<ResizeObserver | null>(null);
  const following = useRef(true);
  const seen = useRef(count);
  const [unseen, setUnseen] = useState(false);

  const toBottom = useCallback((smooth = false) => {
    const el = ref.current;
    following.current = true;
    setUnseen(false);
    if (!el) return;
    const reduced = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    el.scrollTo({ top: el.scrollHeight, behavior: smooth && !reduced ? 'smooth' : 'auto' });
  }, []);

  useLayoutEffect(() => {
    if (following.current) toBottom();
    else if (count > seen.current) setUnseen(true);
    seen.current = count;
  }, [count, toBottom]);

  const onScroll = () => {
    const el = ref.current;
    if (!el) return;
    following.current = el.scrollHeight - el.scrollTop - el.clientHeight < BOTTOM_SLACK_PX;
    if (following.current) setUnseen(false);
  };
  /** The staff member's own message: show it, wherever they were reading. */
  const follow = () => {
    following.current = true;
  };
  // The box shrinks when a composer grows or a phone keyboard opens: stay at the end.
  const attach = useCallback((el: HTMLOListElement | null) => {
    resized.current?.disconnect();
    ref.current = el;
    if (!el) return;
    resized.current = new ResizeObserver(() => following.current && el.scrollTo({ top: el.scrollHeight }));
    resized.current.observe(el);
  }, []);
  return { ref: attach, onScroll, unseen, toBottom, follow };
}

type Message = NonNullable<ReturnType<typeof useTranscript>['data']>['messages']['data'][number];

/**
 * "Make a test" from a message: a visitor's becomes the question; a bot reply tests the visitor
 * message before it, with the reply shown beside the form as reference.
 */
function MakeTest({ messages, at, session }: { messages: Message[]; at: number; session: string }) {
  const { t } = useI18n();
  const m = messages[at]!;
  // A file is no question (its body is the file's name).
  if ((m.author !== 'visitor' && m.author !== 'bot') || m.attachments?.length) return null;
  const question = m.author === 'visitor' ? m.body : messages.slice(0, at).reverse().find((x) => x.author === 'visitor' && !x.attachments?.length)?.body;
  if (!question) return null;
  const href = m.author === 'visitor' ? newTestHref(question) : newTestHref(question, { session, reply: m.id });
  const short = question.length > 60 ? `${question.slice(0, 59)}…` : question;
  return <a className="make-test" href={href} aria-label={m.author === 'visitor' ? t.tests.makeTestFrom(short) : t.tests.makeTestFromReply(short)}>{t.tests.makeTest}</a>;
}

/** One conversation: messages, actions and composer. Live through the events hook. `back`: the list it was opened from. */
export function Transcript({ id, readOnly = false, back }: { id: string; readOnly?: boolean; back?: 'live' | 'history' }) {
  const { t, lang } = useI18n();
  const transcript = useTranscript(id);
  const scroller = useStickToBottom(transcript.data?.messages.data.length ?? 0);
  const action = useSessionAction();
  const send = useSendMessage();
  const note = useAddNote();
  const [reply, setReply] = useState('');
  const [noteText, setNoteText] = useState('');
  const me = useMe();
  const canTest = !!me.data?.user.permissions.includes('catalog.manage');
  // Presence (issue #23): a receipt when staff view the conversation; their typing told to the visitor.
  useSeenReceipt(transcript.data?.session.id, transcript.data?.messages.data.length ?? 0, !readOnly && transcript.data?.session.channel !== 'console');
  const typingSignal = useTypingSignal(id);

  if (transcript.isPending) return <p className="muted pad">{t.loading}</p>;
  if (transcript.isError) return <p className="error pad" role="alert">{t.error}</p>;
  const { session, messages } = transcript.data;
  const open = session.status !== 'closed';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const message = reply.trim();
    if (!message) return;
    scroller.follow();
    send.mutate({ session_id: session.id, message }, { onSuccess: () => (setReply(''), typingSignal('')) });
  };
  const addNote = (e: FormEvent) => {
    e.preventDefault();
    const body = noteText.trim();
    if (!body) return;
    scroller.follow();
    note.mutate({ id: session.id, body }, { onSuccess: () => setNoteText('') });
  };

  const label = visitorLabel(session, t);
  // The newest message from Bob or a person: "Seen by the visitor" goes under it.
  const lastReply = messages.data.findLastIndex((m) => m.author === 'agent' || m.author === 'bot');
  return (
    <section className="transcript" aria-label={label}>
      <header className="transcript-head">
        {back && (
          <a className="back" href={`#/${back}`}>
            <span aria-hidden="true">‹ </span>{t.live.back}
          </a>
        )}
        <div className="who-is">
          <h2>{label}</h2>
          <p className="muted small">
            <span className={`pill ${session.status}`}>{t.status[session.status]}</span> · {session.channel}
            {session.origin ? ` · ${session.origin}` : ''} · {session.language.toUpperCase()}
          </p>
          <VisitorIdentity sessionId={session.id} />
          <SessionTools session={session} readOnly={readOnly} />
          <RatingBadge sessionId={session.id} />
        </div>
        {!readOnly && open && (
          <div className="actions">
            {session.status !== 'agent' && (
              <button type="button" className="primary" onClick={() => action.mutate({ id: session.id, action: 'takeover' })}>{t.live.takeover}</button>
            )}
            {session.status !== 'bot' && (
              <button type="button" onClick={() => action.mutate({ id: session.id, action: 'release' })}>{t.live.release}</button>
            )}
            <button type="button" onClick={() => action.mutate({ id: session.id, action: 'close' })}>{t.live.close}</button>
          </div>
        )}
      </header>
      <div className="messages-box">
        <ol className="messages" aria-live="polite" ref={scroller.ref} onScroll={scroller.onScroll}>
          {messages.data.map((m, i) => (
            <li key={m.id} className={`bubble ${m.author}`}>
              {m.author === 'note' && <span className="by">{t.live.noteLabel} · {m.author_name}</span>}
              {m.author === 'agent' && <span className="by">{m.author_name}</span>}
              {m.attachments?.length ? <MessageFiles files={m.attachments} /> : <MessageBody author={m.author} text={m.body} />}
              {m.author === 'bot' && m.basis && <Receipt basis={m.basis} businessId={session.tenant_id} />}
              <span className="bubble-foot">
                {canTest && <MakeTest messages={messages.data} at={i} session={session.id} />}
                <time className="when" dateTime={m.created_at} title={formatDateTime(m.created_at, lang)}>{formatTime(m.created_at, lang)}</time>
                {i === lastReply && <SeenByVisitor seenAt={session.visitor_seen_at} messageAt={m.created_at} />}
              </span>
            </li>
          ))}
        </ol>
        {!readOnly && open && <VisitorTyping sessionId={session.id} />}
        {scroller.unseen && (
          <button type="button" className="new-messages" onClick={() => scroller.toBottom(true)}>
            <span aria-hidden="true">↓ </span>{t.live.newMessages}
          </button>
        )}
      </div>
      {!readOnly && open && (
        <div className="composers">
          <form onSubmit={submit} className="composer">
            <AttachButton sessionId={session.id} onSent={scroller.follow} />
            <CannedTextarea aria-label={t.live.reply} placeholder={t.live.reply} value={reply} rows={2} language={session.language}
              onValue={(v) => (setReply(v), typingSignal(v))}
              onKeyDown={(e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); e.currentTarget.form?.requestSubmit(); } }} />
            <button type="submit" className="primary" disabled={send.isPending || !reply.trim()}>{t.live.send}</button>
          </form>
          <form onSubmit={addNote} className="composer note">
            <input aria-label={t.live.note} placeholder={t.live.note} value={noteText} onChange={(e) => setNoteText(e.target.value)} />
            <button type="submit" disabled={note.isPending || !noteText.trim()}>{t.live.addNote}</button>
          </form>
        </div>
      )}
    </section>
  );
}
