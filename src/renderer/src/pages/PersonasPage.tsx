import { useRef, useState, type FormEvent } from 'react';
import { useConsoleSession, useStreamedMessage } from '../api/chat';
import { api } from '../api/client';
import { usePersonaAction, usePersonaDraft, usePersonaVersions, usePersonas, useSavePersona } from '../api/governance';
import type { Persona } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DraftTestsPanel } from '../components/DraftTestsPanel';
import { ErrorText, errorText } from '../components/ErrorText';
import { useI18n } from '../i18n';
import { formatDateTime, formatRelative } from '../format';

type Fields = Pick<Persona, 'name' | 'description' | 'tone' | 'systemPrompt'>;
const EMPTY: Fields = { name: '', description: '', tone: 'friendly', systemPrompt: '' };
const LIMITS = { name: 60, description: 500, systemPrompt: 8000 };

export function PersonasPage({ selected }: { selected?: string }) {
  const { t } = useI18n();
  const personas = usePersonas();
  const list = personas.data?.data ?? [];
  const current = selected === 'new' ? undefined : list.find((p) => p.id === selected) ?? list[0];
  const [message, setMessage] = useState<string | null>(null);

  const exportAll = async () => {
    const data = await api<unknown>('/api/personas/export');
    const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
    const a = Object.assign(document.createElement('a'), { href: url, download: 'bob-personas.json' });
    a.click();
    URL.revokeObjectURL(url);
  };
  const importFile = async (file: File) => {
    try {
      const res = await api<{ data: Persona[] }>('/api/personas/import', { method: 'POST', body: JSON.parse(await file.text()) });
      setMessage(t.personas.imported(res.data.length));
      void personas.refetch();
    } catch (err) {
      setMessage(errorText(t, err));
    }
  };

  return (
    <div className="split">
      <div className="list">
        <div className="toolbar">
          <a className="button primary" href="#/personas/new">{t.personas.add}</a>
          <button type="button" onClick={() => void exportAll()}>{t.personas.export}</button>
          <label className="button">
            {t.personas.import}
            <input type="file" accept="application/json" className="sr-only" onChange={(e) => e.target.files?.[0] && void importFile(e.target.files[0])} />
          </label>
        </div>
        {message && <p className="muted pad small" role="status">{message}</p>}
        <ul>
          {list.map((p) => (
            <li key={p.id}>
              <a href={`#/personas/${p.id}`} className={`row${current?.id === p.id ? ' active' : ''}`}>
                <span className="row-top"><strong>{p.name}</strong>{p.is_default && <span className="pill bot">{t.personas.isDefault}</span>}</span>
                <span className="muted small ellipsis">{p.description}</span>
              </a>
            </li>
          ))}
        </ul>
      </div>
      <div className="detail scroll">
        {personas.isPending ? <p className="muted pad">{t.loading}</p> : <PersonaEditor key={current?.id ?? 'new'} persona={current} />}
      </div>
    </div>
  );
}

/** The fields an editor starts from: the unpublished draft where there is one. */
const fieldsOf = (p?: Persona): Fields => (p ? { name: p.draft?.name ?? p.name, description: p.draft?.description ?? p.description, tone: p.draft?.tone ?? p.tone, systemPrompt: p.draft?.systemPrompt ?? p.systemPrompt } : EMPTY);

/**
 * A new persona is created at once; edits to an existing one are saved as its draft (visitors keep
 * the published version) and go live with Publish, which may first run the answer tests.
 */
function PersonaEditor({ persona }: { persona?: Persona }) {
  const { t, lang } = useI18n();
  const create = useSavePersona();
  const draft = usePersonaDraft();
  const act = usePersonaAction();
  const versions = usePersonaVersions(persona?.id ?? null);
  const [fields, setFields] = useState<Fields>(() => fieldsOf(persona));
  const [status, setStatus] = useState('');
  const [discarding, setDiscarding] = useState(false);
  const invalid = !fields.name.trim() || fields.name.length > LIMITS.name || fields.description.length > LIMITS.description || fields.systemPrompt.length > LIMITS.systemPrompt;
  const pending = create.isPending || draft.isPending;
  const error = create.error ?? draft.error;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setStatus('');
    if (!persona) {
      create.mutate({ fields }, { onSuccess: (p) => (window.location.hash = `#/personas/${p.id}`) });
      return;
    }
    draft.mutate({ kind: 'save', id: persona.id, fields }, { onSuccess: () => setStatus(t.personas.draftSaved) });
  };
  const publish = () => {
    if (!persona) return;
    setStatus('');
    // Unsaved edits in the form go into the draft first: what is published is what is shown.
    const edited = JSON.stringify(fields) !== JSON.stringify(fieldsOf(persona));
    const save = edited || !persona.draft ? draft.mutateAsync({ kind: 'save', id: persona.id, fields }) : Promise.resolve();
    void save
      .then(() => draft.mutateAsync({ kind: 'publish', id: persona.id }))
      .then((p) => setStatus(p ? t.personas.published(p.version) : ''))
      .catch(() => {}); // shown by ErrorText
  };
  const discard = () => {
    if (!persona) return;
    draft.mutate({ kind: 'discard', id: persona.id }, {
      onSuccess: (p) => {
        setDiscarding(false);
        setFields(fieldsOf(p ? { ...p, draft: null } : { ...persona, draft: null }));
        setStatus(t.personas.discarded);
      },
    });
  };
  const set = (k: keyof Fields) => (e: { target: { value: string } }) => setFields({ ...fields, [k]: e.target.value });

  return (
    <div className="pad stack">
      <form onSubmit={submit} className="form stack" noValidate>
        <label>
          {t.personas.name} <span className="muted small">{fields.name.length}/{LIMITS.name}</span>
          <input value={fields.name} onChange={set('name')} maxLength={LIMITS.name} required aria-invalid={!fields.name.trim()} />
        </label>
        <label>
          {t.personas.description} <span className="muted small">{fields.description.length}/{LIMITS.description}</span>
          <textarea rows={2} value={fields.description} onChange={set('description')} maxLength={LIMITS.description} />
        </label>
        <label>
          {t.personas.tone}
          <select value={fields.tone} onChange={set('tone')}>
            {Object.entries(t.personas.tones).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
          </select>
        </label>
        <label>
          {t.personas.systemPrompt} <span className="muted small">{fields.systemPrompt.length}/{LIMITS.systemPrompt}</span>
          <textarea rows={6} value={fields.systemPrompt} onChange={set('systemPrompt')} maxLength={LIMITS.systemPrompt} />
        </label>
        {persona?.draft && (
          <div className="banner warn draft-banner">
            <p><strong>{t.personas.unpublished}</strong> · {t.personas.unpublishedHelp(formatRelative(persona.draft.updated_at, lang))}</p>
            <div className="toolbar">
              <button type="button" className="primary" disabled={pending || invalid} onClick={publish}>{t.personas.publish}</button>
              <button type="button" disabled={pending} onClick={() => { draft.reset(); setDiscarding(true); }}>{t.personas.discard}</button>
            </div>
          </div>
        )}
        <ErrorText error={error} />
        <div className="toolbar">
          <button type="submit" className={persona?.draft ? undefined : 'primary'} disabled={invalid || pending}>{pending ? t.saving : persona ? t.personas.saveDraft : t.save}</button>
          <span className="muted small" role="status">{status}</span>
          {persona && !persona.is_default && (
            <>
              <button type="button" onClick={() => act.mutate({ id: persona.id, action: 'default' })}>{t.personas.makeDefault}</button>
              <button type="button" className="danger" onClick={() => window.confirm(t.personas.confirmRemove) && act.mutate({ id: persona.id, action: 'delete' }, { onSuccess: () => (window.location.hash = '#/personas') })}>{t.personas.remove}</button>
            </>
          )}
        </div>
      </form>
      {persona?.is_default && <DraftTestsPanel level={2} />}
      {discarding && persona && (
        <ConfirmDialog title={t.personas.confirmDiscardTitle} body={t.personas.confirmDiscardBody} confirm={t.personas.discard} busy={draft.isPending} onClose={() => setDiscarding(false)} onConfirm={discard}>
          <p><strong>{persona.draft?.name ?? persona.name}</strong></p>
          <ErrorText error={draft.error} />
        </ConfirmDialog>
      )}
      {persona && <TryIt persona={persona} />}
      {persona && versions.data && (
        <section>
          <h2 className="h3">{t.personas.versions}</h2>
          <ul className="plain">
            {versions.data.data.map((v) => (
              <li key={v.version} className="version-row">
                <span>v{v.version} · {v.name} · <span className="muted small">{formatDateTime(v.created_at, lang)}</span></span>
                {v.version !== persona.version && <button type="button" onClick={() => act.mutate({ id: persona.id, action: 'restore', version: v.version })}>{t.personas.restore}</button>}
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}

/** A line of the try-it conversation; `busy` while Bob's answer is still being written. */
interface Line {
  key: number;
  who: string;
  text: string;
  busy?: boolean;
}

/** A console session: the staff member plays the visitor and sees Bob answer as this persona, as it is written. */
function TryIt({ persona }: { persona: Persona }) {
  const { t } = useI18n();
  const start = useConsoleSession();
  const send = useStreamedMessage();
  const [lines, setLines] = useState<Line[]>([]);
  const [text, setText] = useState('');
  const nextKey = useRef(0);
  const push = (line: Omit<Line, 'key'>) => {
    const key = nextKey.current++;
    setLines((l) => [...l, { ...line, key }]);
    return key;
  };
  /** Changes one line; null removes it. */
  const update = (key: number, f: (line: Line) => Line | null) => setLines((l) => l.flatMap((x) => (x.key === key ? (f(x) ?? []) : [x])));

  const ask = async (e: FormEvent) => {
    e.preventDefault();
    const message = text.trim();
    if (!message) return;
    setText('');
    push({ who: 'visitor', text: message });
    // Bob's bubble: dots until the first words, then it grows; the reply's text is the final one.
    const answer = push({ who: 'bot', text: '', busy: true });
    try {
      const externalId = start.data?.session_id ?? (await start.mutateAsync(persona.id)).session_id;
      const r = await send.mutateAsync({ session_id: externalId, message, onToken: (piece) => update(answer, (l) => ({ ...l, text: l.text + piece })) });
      update(answer, (l) => ('reply' in r && r.reply !== null ? { ...l, who: r.from, text: r.reply, busy: false } : null));
    } catch {
      update(answer, () => null); // the error is shown below
    }
  };
  const error = send.error ?? start.error;
  return (
    <section className="tryit">
      <h2 className="h3">{t.personas.tryIt}</h2>
      {/* role="log" is not allowed on a list: the log wraps it. */}
      <div role="log" aria-live="polite">
        <ol className="messages compact">
          {lines.map((l) => (
            <li key={l.key} className={`bubble ${l.who}`} aria-busy={l.busy || undefined}>
              <span className="body">{l.text || (l.busy ? '…' : '')}</span>
            </li>
          ))}
        </ol>
      </div>
      {error && !send.isPending && <ErrorText error={error} />}
      <form onSubmit={(e) => void ask(e)} className="composer">
        <input aria-label={t.personas.tryPlaceholder} placeholder={t.personas.tryPlaceholder} value={text} onChange={(e) => setText(e.target.value)} />
        <button type="submit" disabled={send.isPending}>{t.live.send}</button>
      </form>
    </section>
  );
}
