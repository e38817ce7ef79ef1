import { useEffect, useId, useRef, useState, type DragEvent, type FormEvent } from 'react';
import { KNOWLEDGE_FILE_MAX, useFaq, useFaqAction, useKnowledge, useKnowledgeAction, useKnowledgeDocument, type Faq, type KnowledgeDocument } from '../api/knowledge';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorText } from '../components/ErrorText';
import { formatBytes, formatDateTime, formatRelative } from '../format';
import { useI18n } from '../i18n';
import { go, routeQuery } from '../router';

/** `#/knowledge/faq-new?q=…` opens the add form with the question filled in (Usage → "Answer this"). */
export const FAQ_NEW = 'faq-new';
const ACCEPT = '.md,.markdown,.txt,.html,.htm,.pdf,text/markdown,text/plain,text/html,application/pdf';

function When({ at, label }: { at: string; label: (when: string) => string }) {
  const { lang } = useI18n();
  return <time dateTime={at} title={formatDateTime(at, lang)}>{label(formatRelative(at, lang))}</time>;
}

/** A question and its answer, added or edited in place. */
function FaqForm({ legend, initial, focusAnswer, busy, error, onSave, onCancel }: {
  legend: string;
  initial: { question: string; answer: string };
  focusAnswer?: boolean;
  busy: boolean;
  error: unknown;
  onSave: (v: { question: string; answer: string }) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const [question, setQuestion] = useState(initial.question);
  const [answer, setAnswer] = useState(initial.answer);
  const q = useRef<HTMLInputElement>(null);
  const a = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const el = focusAnswer ? a.current : q.current;
    el?.focus();
    el?.scrollIntoView({ block: 'nearest' });
  }, [focusAnswer]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSave({ question: question.trim(), answer: answer.trim() });
  };
  return (
    <form className="form stack sub-form" aria-label={legend} onSubmit={submit} onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onCancel(); } }}>
      <label>{t.knowledge.question}<input ref={q} required minLength={3} maxLength={500} value={question} onChange={(e) => setQuestion(e.target.value)} /></label>
      <label>{t.knowledge.answer}<textarea ref={a} required rows={4} maxLength={4000} value={answer} onChange={(e) => setAnswer(e.target.value)} /></label>
      <ErrorText error={error} />
      <div className="toolbar">
        <button type="submit" className="primary" disabled={busy}>{busy && <span className="spinner" aria-hidden="true" />}{busy ? t.saving : t.save}</button>
        <button type="button" onClick={onCancel}>{t.cancel}</button>
      </div>
    </form>
  );
}

function FaqSection({ prefill }: { prefill: string | null }) {
  const { t } = useI18n();
  const faq = useFaq();
  const act = useFaqAction();
  const [adding, setAdding] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Faq | null>(null);
  const [status, setStatus] = useState('');
  const open = adding || prefill !== null;
  const close = () => {
    setAdding(false);
    act.reset();
    if (prefill !== null) go('knowledge');
  };
  const save = (a: Parameters<typeof act.mutate>[0], done: string, after: () => void) => {
    setStatus('');
    act.mutate(a, { onSuccess: () => { setStatus(done); after(); } });
  };
  const entries = faq.data?.data ?? [];
  return (
    <section className="card-block stack" aria-labelledby="knowledge-faq">
      <h2 id="knowledge-faq">{t.knowledge.faqTitle}</h2>
      <p className="muted">{t.knowledge.faqIntro}</p>
      <ErrorText error={faq.error} />
      {faq.isPending && <p className="muted">{t.loading}</p>}
      {faq.data && entries.length === 0 && !open && <p className="empty-note">{t.knowledge.faqEmpty}</p>}
      {entries.length > 0 && (
        <ul className="plain knowledge-list">
          {entries.map((f) => (
            <li key={f.id}>
              {editing === f.id ? (
                <FaqForm legend={t.knowledge.editFaq(f.question)} initial={f} busy={act.isPending} error={act.error}
                  onCancel={() => { setEditing(null); act.reset(); requestAnimationFrame(() => document.getElementById(`faq-edit-${f.id}`)?.focus()); }}
                  onSave={(v) => save({ kind: 'edit', id: f.id, ...v }, t.knowledge.faqSaved, () => setEditing(null))} />
              ) : (
                <div className="knowledge-row">
                  <div className="knowledge-main">
                    <strong>{f.question}</strong>
                    <p className="faq-answer">{f.answer}</p>
                  </div>
                  <span className="actions">
                    <button type="button" id={`faq-edit-${f.id}`} aria-label={t.knowledge.editFaq(f.question)} onClick={() => { act.reset(); setAdding(false); setEditing(f.id); }}>{t.knowledge.edit}</button>
                    <button type="button" className="danger" aria-label={t.knowledge.removeFaq(f.question)} onClick={() => { act.reset(); setRemoving(f); }}>{t.knowledge.remove}</button>
                  </span>
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
      {open ? (
        <FaqForm key={prefill ?? ''} legend={t.knowledge.newFaq} initial={{ question: prefill ?? '', answer: '' }} focusAnswer={!!prefill} busy={act.isPending} error={editing ? null : act.error}
          onCancel={close} onSave={(v) => save({ kind: 'add', ...v }, t.knowledge.faqAdded, close)} />
      ) : (
        <div className="toolbar"><button type="button" onClick={() => { act.reset(); setEditing(null); setAdding(true); }}>+ {t.knowledge.addFaq}</button></div>
      )}
      <p className="status-line ok knowledge-status" role="status" aria-live="polite">{status}</p>
      {removing && (
        <ConfirmDialog title={t.knowledge.confirmFaqTitle} body={t.knowledge.confirmFaqBody} confirm={t.knowledge.remove} busy={act.isPending}
          onClose={() => { setRemoving(null); act.reset(); }}
          onConfirm={() => act.mutate({ kind: 'delete', id: removing.id }, { onSuccess: () => { setRemoving(null); setStatus(t.knowledge.faqDeleted); } })}>
          <p className="faq-quote"><strong>{removing.question}</strong></p>
          <p className="faq-answer muted">{removing.answer}</p>
          <ErrorText error={act.error} />
        </ConfirmDialog>
      )}
    </section>
  );
}

/** A file chosen or dropped here is uploaded; the zone is itself the button that opens the file picker. */
function UploadZone({ onFiles, pending }: { onFiles: (files: File[]) => void; pending: string | null }) {
  const { t } = useI18n();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    if (!pending) onFiles([...e.dataTransfer.files]);
  };
  return (
    <div className="upload">
      <button type="button" className={`drop-zone upload-zone${over ? ' over' : ''}`} data-testid="knowledge-drop" aria-describedby={`${id}-help`} aria-disabled={!!pending}
        onClick={() => { if (!pending) input.current?.click(); }}
        onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)} onDrop={drop}>
        <span className="upload-icon" aria-hidden="true">⇪</span>
        <span className="upload-text">
          <strong>{pending ? <><span className="spinner" aria-hidden="true" />{t.knowledge.uploading(pending)}</> : t.knowledge.upload}</strong>
          <span className="muted small">{t.knowledge.chooseFile}</span>
        </span>
      </button>
      <input ref={input} type="file" hidden accept={ACCEPT} multiple aria-label={t.knowledge.upload} data-testid="knowledge-file"
        onChange={(e) => { onFiles([...(e.target.files ?? [])]); e.target.value = ''; }} />
      <p id={`${id}-help`} className="muted small">{t.knowledge.uploadHelp}</p>
    </div>
  );
}

function WriteForm({ onDone }: { onDone: (title: string) => void }) {
  const { t } = useI18n();
  const act = useKnowledgeAction();
  const id = useId();
  const [title, setTitle] = useState('');
  const [content, setContent] = useState('');
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    act.mutate({ kind: 'write', title: title.trim(), content }, { onSuccess: (d) => onDone((d as KnowledgeDocument).title) });
  };
  return (
    <form className="form stack sub-form" aria-label={t.knowledge.write} onSubmit={submit}>
      <h3>{t.knowledge.write}</h3>
      <label>{t.knowledge.title}<input ref={first} required maxLength={200} value={title} onChange={(e) => setTitle(e.target.value)} /></label>
      <label>{t.knowledge.content}
        <textarea required rows={10} value={content} aria-describedby={`${id}-help`} onChange={(e) => setContent(e.target.value)} />
        <span id={`${id}-help`} className="muted small">{t.knowledge.contentHelp}</span>
      </label>
      <ErrorText error={act.error} />
      <div className="toolbar">
        <button type="submit" className="primary" disabled={act.isPending}>{act.isPending && <span className="spinner" aria-hidden="true" />}{act.isPending ? t.saving : t.save}</button>
        <button type="button" onClick={() => onDone('')}>{t.cancel}</button>
      </div>
    </form>
  );
}

function ImportForm({ onDone }: { onDone: (title: string) => void }) {
  const { t } = useI18n();
  const act = useKnowledgeAction();
  const id = useId();
  const [url, setUrl] = useState('');
  const [title, setTitle] = useState('');
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    act.mutate({ kind: 'import', url: url.trim(), title: title.trim() || undefined }, { onSuccess: (d) => onDone((d as KnowledgeDocument).title) });
  };
  return (
    <form className="form stack sub-form" aria-label={t.knowledge.import} onSubmit={submit}>
      <h3>{t.knowledge.import}</h3>
      <p id={`${id}-help`} className="muted small">{t.knowledge.importHelp}</p>
      <label>{t.knowledge.url}<input ref={first} type="url" required maxLength={2000} placeholder="https://" inputMode="url" value={url} aria-describedby={`${id}-help`} onChange={(e) => setUrl(e.target.value)} /></label>
      <label>{t.knowledge.titleOptional}
        <input maxLength={200} value={title} aria-describedby={`${id}-title-help`} onChange={(e) => setTitle(e.target.value)} />
        <span id={`${id}-title-help`} className="muted small">{t.knowledge.titleOptionalHelp}</span>
      </label>
      <ErrorText error={act.error} />
      <div className="toolbar">
        <button type="submit" className="primary" disabled={act.isPending}>{act.isPending && <span className="spinner" aria-hidden="true" />}{act.isPending ? t.knowledge.importing : t.knowledge.import}</button>
        <button type="button" onClick={() => onDone('')}>{t.cancel}</button>
      </div>
    </form>
  );
}

/** One document's text and title, opened from the list (`#/knowledge/<id>`). */
function DocumentEditor({ id, onSaved }: { id: string; onSaved: (s: string) => void }) {
  const { t } = useI18n();
  const doc = useKnowledgeDocument(id);
  const act = useKnowledgeAction();
  const [title, setTitle] = useState<string | null>(null);
  const [content, setContent] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    heading.current?.focus();
    heading.current?.scrollIntoView({ block: 'nearest' });
  }, [doc.isSuccess]);
  if (!doc.data) return <div className="sub-form"><ErrorText error={doc.error} />{!doc.error && <p className="muted">{t.loading}</p>}</div>;
  const d = doc.data;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    act.mutate(
      { kind: 'update', id, ...(title !== null && title.trim() !== d.title ? { title: title.trim() } : {}), content: content ?? d.content },
      { onSuccess: () => { setTitle(null); setContent(null); onSaved(t.knowledge.docSaved); } },
    );
  };
  return (
    <form className="form stack sub-form" aria-label={t.knowledge.editing(d.title)} onSubmit={submit}>
      <h3 ref={heading} tabIndex={-1}>{t.knowledge.editing(d.title)}</h3>
      <label>{t.knowledge.title}<input required maxLength={200} value={title ?? d.title} onChange={(e) => setTitle(e.target.value)} /></label>
      <label>{t.knowledge.content}<textarea required rows={14} className="doc-text" value={content ?? d.content} onChange={(e) => setContent(e.target.value)} /></label>
      <ErrorText error={act.error} />
      <div className="toolbar">
        <button type="submit" className="primary" disabled={act.isPending}>{act.isPending && <span className="spinner" aria-hidden="true" />}{act.isPending ? t.saving : t.save}</button>
        <a className="button" href="#/knowledge">{t.knowledge.close}</a>
      </div>
    </form>
  );
}

function DocumentsSection({ selected }: { selected: string | undefined }) {
  const { t, lang } = useI18n();
  const docs = useKnowledge();
  const act = useKnowledgeAction();
  const [adding, setAdding] = useState<'write' | 'import' | null>(null);
  const [removing, setRemoving] = useState<KnowledgeDocument | null>(null);
  const [pending, setPending] = useState<string | null>(null);
  const [uploadError, setUploadError] = useState<unknown>(null);
  const [status, setStatus] = useState('');

  const upload = async (files: File[]) => {
    setStatus('');
    setUploadError(null);
    for (const file of files) {
      if (file.size > KNOWLEDGE_FILE_MAX) {
        setUploadError(new Error(t.knowledge.tooLarge(file.name)));
        return;
      }
      setPending(file.name);
      try {
        const d = (await act.mutateAsync({ kind: 'upload', file })) as KnowledgeDocument;
        setStatus(t.knowledge.added(d.title));
      } catch (err) {
        setUploadError(err);
        return;
      } finally {
        setPending(null);
      }
    }
  };
  const finish = (title: string) => {
    setAdding(null);
    if (title) setStatus(t.knowledge.added(title));
  };
  const refetch = (d: KnowledgeDocument) => {
    setStatus('');
    act.mutate({ kind: 'refetch', id: d.id }, { onSuccess: () => setStatus(t.knowledge.refetched(d.title)) });
  };
  const list = docs.data?.data ?? [];
  // An Error made here (a file too large) is not an ApiError: say it as is.
  const localError = uploadError instanceof Error && !('status' in uploadError) ? uploadError.message : null;
  return (
    <section className="card-block stack" aria-labelledby="knowledge-docs">
      <h2 id="knowledge-docs">{t.knowledge.docsTitle}</h2>
      <p className="muted">{t.knowledge.docsIntro}</p>
      <UploadZone onFiles={(f) => void upload(f)} pending={pending} />
      {localError ? <p className="error" role="alert">{localError}</p> : <ErrorText error={uploadError} />}
      {adding === 'write' && <WriteForm onDone={finish} />}
      {adding === 'import' && <ImportForm onDone={finish} />}
      {adding === null && (
        <div className="toolbar">
          <button type="button" onClick={() => setAdding('write')}>{t.knowledge.write}</button>
          <button type="button" onClick={() => setAdding('import')}>{t.knowledge.import}</button>
        </div>
      )}
      <p className="status-line ok knowledge-status" role="status" aria-live="polite">{status}</p>
      <h3 className="list-title">{t.knowledge.list}{docs.data ? ` (${list.length})` : ''}</h3>
      <ErrorText error={docs.error} />
      {docs.isPending && <p className="muted">{t.loading}</p>}
      {docs.data && list.length === 0 && <p className="empty-note">{t.knowledge.docsEmpty}</p>}
      {list.length > 0 && (
        <ul className="plain knowledge-list">
          {list.map((d) => (
            <li key={d.id}>
              <div className="knowledge-row">
                <div className="knowledge-main">
                  <span className="doc-head">
                    <a href={`#/knowledge/${d.id}`} className="doc-title" aria-current={selected === d.id ? 'true' : undefined}>{d.title}</a>
                    <span className="pill">{t.knowledge.types[d.type] ?? d.type}</span>
                  </span>
                  <span className="muted small">
                    {formatBytes(d.size, lang)} · {t.knowledge.passages(d.chunks)} · <When at={d.updated_at} label={t.knowledge.updated} />
                  </span>
                  {d.source_url && (
                    <span className="small doc-source">
                      <span className="muted">{t.knowledge.source}: </span><a href={d.source_url} target="_blank" rel="noreferrer">{d.source_url}</a>
                      {d.fetched_at && <span className="muted"> · <When at={d.fetched_at} label={t.knowledge.fetched} /></span>}
                    </span>
                  )}
                </div>
                <span className="actions">
                  {d.source_url && (
                    <button type="button" aria-label={t.knowledge.refetchTitle(d.title)} disabled={act.isPending && act.variables?.kind === 'refetch' && act.variables.id === d.id} onClick={() => refetch(d)}>
                      {act.isPending && act.variables?.kind === 'refetch' && act.variables.id === d.id && <span className="spinner" aria-hidden="true" />}{t.knowledge.refetch}
                    </button>
                  )}
                  <button type="button" className="danger" aria-label={t.knowledge.removeDoc(d.title)} onClick={() => { act.reset(); setRemoving(d); }}>{t.knowledge.remove}</button>
                </span>
              </div>
              {act.isError && act.variables?.kind === 'refetch' && act.variables.id === d.id && <ErrorText error={act.error} small />}
              {selected === d.id && <DocumentEditor key={d.id} id={d.id} onSaved={setStatus} />}
            </li>
          ))}
        </ul>
      )}
      {removing && (
        <ConfirmDialog title={t.knowledge.confirmDocTitle(removing.title)} body={t.knowledge.confirmDocBody} confirm={t.knowledge.remove} busy={act.isPending}
          onClose={() => setRemoving(null)}
          onConfirm={() => act.mutate({ kind: 'delete', id: removing.id }, {
            onSuccess: () => {
              setStatus(t.knowledge.deleted(removing.title));
              setRemoving(null);
              if (selected === removing.id) go('knowledge');
            },
          })}>
          <p><strong>{removing.title}</strong> <span className="pill">{t.knowledge.types[removing.type] ?? removing.type}</span></p>
          <p className="muted small">{formatBytes(removing.size, lang)} · {t.knowledge.passages(removing.chunks)}</p>
          <ErrorText error={act.error} />
        </ConfirmDialog>
      )}
    </section>
  );
}

/** What Bob answers from besides the catalog: FAQ entries (personas.manage) and documents (catalog.manage). */
export function KnowledgePage({ selected, canFaq }: { selected: string | undefined; canFaq: boolean }) {
  const { t } = useI18n();
  const prefill = selected === FAQ_NEW ? (routeQuery().get('q') ?? '') : null;
  return (
    <div className="pad stack page">
      <p className="muted page-intro">{t.knowledge.intro}</p>
      {canFaq && <FaqSection prefill={prefill} />}
      <DocumentsSection selected={selected === FAQ_NEW ? undefined : selected} />
    </div>
  );
}
