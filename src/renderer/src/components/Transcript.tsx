import { useState, type FormEvent } from 'react';
import { useAddNote, useSendMessage, useSessionAction, useTranscript } from '../api/chat';
import { useI18n } from '../i18n';
import { Receipt } from './Receipt';

/** One conversation: messages, actions and composer. Live through the events hook. */
export function Transcript({ id, readOnly = false }: { id: string; readOnly?: boolean }) {
  const { t } = useI18n();
  const transcript = useTranscript(id);
  const action = useSessionAction();
  const send = useSendMessage();
  const note = useAddNote();
  const [reply, setReply] = useState('');
  const [noteText, setNoteText] = useState('');

  if (transcript.isPending) return <p className="muted pad">{t.loading}</p>;
  if (transcript.isError) return <p className="error pad" role="alert">{t.error}</p>;
  const { session, messages } = transcript.data;
  const open = session.status !== 'closed';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const message = reply.trim();
    if (!message) return;
    send.mutate({ session_id: session.id, message }, { onSuccess: () => setReply('') });
  };
  const addNote = (e: FormEvent) => {
    e.preventDefault();
    const body = noteText.trim();
    if (body) note.mutate({ id: session.id, body }, { onSuccess: () => setNoteText('') });
  };

  return (
    <section className="transcript" aria-label={session.visitor_name ?? session.session_id}>
      <header className="transcript-head">
        <div>
          <h2>{session.visitor_name ?? `${t.live.visitor} ${session.session_id.slice(0, 8)}`}</h2>
          <p className="muted small">
            <span className={`pill ${session.status}`}>{t.status[session.status]}</span> · {session.channel}
            {session.origin ? ` · ${session.origin}` : ''} · {session.language.toUpperCase()}
          </p>
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
      <ol className="messages" aria-live="polite">
        {messages.data.map((m) => (
          <li key={m.id} className={`bubble ${m.author}`}>
            {m.author === 'note' && <span className="by">{t.live.noteLabel} · {m.author_name}</span>}
            {m.author === 'agent' && <span className="by">{m.author_name}</span>}
            <span className="body">{m.body}</span>
            {m.author === 'bot' && m.basis && <Receipt basis={m.basis} businessId={session.tenant_id} />}
            <time className="when" dateTime={m.created_at}>{new Date(m.created_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}</time>
          </li>
        ))}
      </ol>
      {!readOnly && open && (
        <div className="composers">
          <form onSubmit={submit} className="composer">
            <textarea aria-label={t.live.reply} placeholder={t.live.reply} value={reply} rows={2}
              onChange={(e) => setReply(e.target.value)}
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
