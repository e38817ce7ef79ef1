import { useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import {
  useAnswerTestRun,
  useAnswerTestRuns,
  useAnswerTests,
  useDeleteAnswerTest,
  useSaveAnswerTest,
  type AnswerTest,
  type AnswerTestFields,
  type AnswerTestResult,
  type AnswerTestRun,
} from '../api/answer-tests';
import { useTranscript } from '../api/chat';
import { useTenant } from '../api/governance';
import { useSaveTenant } from '../api/office';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { RunButtons, whyText } from '../components/DraftTestsPanel';
import { ErrorText } from '../components/ErrorText';
import { Receipt } from '../components/Receipt';
import { formatDateTime } from '../format';
import { useI18n } from '../i18n';
import { go, routeQuery } from '../router';

// ---------------------------------------------------------------------------------------------
// Words found in a reply, as the server compares them: case and accents ignored.

const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();

type Span = { start: number; end: number; kind: 'hit' | 'forbidden' };

/** Where each phrase occurs in `text` (indices into the original text), forbidden ones first, never overlapping. */
export function findPhrases(text: string, include: string[], exclude: string[]): Span[] {
  // The folded text with, for each of its characters, the original index it came from.
  let folded = '';
  const from: number[] = [];
  for (let i = 0; i < text.length; ) {
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    const f = fold(ch);
    folded += f;
    for (let k = 0; k < f.length; k++) from.push(i);
    i += ch.length;
  }
  from.push(text.length);
  const spans: Span[] = [];
  const taken = (s: number, e: number) => spans.some((x) => s < x.end && e > x.start);
  for (const [kind, phrases] of [['forbidden', exclude], ['hit', include]] as const) {
    for (const p of phrases) {
      const needle = fold(p.trim());
      if (!needle) continue;
      for (let at = folded.indexOf(needle); at >= 0; at = folded.indexOf(needle, at + needle.length)) {
        const start = from[at]!;
        const end = from[at + needle.length]!;
        if (!taken(start, end)) spans.push({ start, end, kind });
      }
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}

/** Bob's reply with the expected words marked where found and the forbidden ones marked as errors. */
function Highlighted({ text, include, exclude }: { text: string; include: string[]; exclude: string[] }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const s of findPhrases(text, include, exclude)) {
    if (s.start > at) parts.push(text.slice(at, s.start));
    parts.push(<mark key={s.start} className={s.kind === 'hit' ? 'hit' : 'forbidden'}>{text.slice(s.start, s.end)}</mark>);
    at = s.end;
  }
  parts.push(text.slice(at));
  return <p className="reply-text">{parts}</p>;
}

/** Expected words as chips; must-not words struck through. */
function Chips({ phrases, not, label }: { phrases: string[]; not?: boolean; label: string }) {
  if (phrases.length === 0) return null;
  return (
    <ul className="chips" aria-label={label}>
      {phrases.map((p) => <li key={p} className={not ? 'chip not' : 'chip'}>{not ? <s>{p}</s> : p}</li>)}
    </ul>
  );
}

// ---------------------------------------------------------------------------------------------
// The form

/** Words or phrases entered as chips: Enter or a comma ends one; a pasted "a, b" line gives two. */
function PhraseInput({ label, value, onChange, not }: { label: string; value: string[]; onChange: (v: string[]) => void; not?: boolean }) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState('');
  const add = (raw: string) => {
    const more = raw.split(/[,\n]/).map((p) => p.trim()).filter((p) => p && !value.some((v) => fold(v) === fold(p)));
    if (more.length) onChange([...value, ...more].slice(0, 20));
    setText('');
  };
  return (
    <div className="field phrase-input" data-pending={text.trim() || undefined}>
      <label htmlFor={id}>{label}</label>
      {value.length > 0 && (
        <ul className="chips" aria-label={label}>
          {value.map((p) => (
            <li key={p} className={not ? 'chip not' : 'chip'}>
              {not ? <s>{p}</s> : p}
              <button type="button" className="chip-remove" aria-label={t.tests.removePhrase(p)} onClick={() => onChange(value.filter((v) => v !== p))}>×</button>
            </li>
          ))}
        </ul>
      )}
      <input id={id} value={text} maxLength={400} aria-describedby={`${id}-help`}
        onChange={(e) => (/[,\n]/.test(e.target.value) ? add(e.target.value) : setText(e.target.value))}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && text.trim()) { e.preventDefault(); add(text); }
          if (e.key === 'Backspace' && !text && value.length) onChange(value.slice(0, -1));
        }}
        onBlur={() => text.trim() && add(text)} />
      <span id={`${id}-help`} className="muted small">{t.tests.phrasesHelp}</span>
    </div>
  );
}

type FormState = { question: string; language: '' | 'en' | 'it'; must_include: string[]; must_not_include: string[]; expect: 'answer' | 'handoff' };
const formOf = (test?: AnswerTest, question = ''): FormState => ({
  question: test?.question ?? question,
  language: test?.language ?? '',
  must_include: test?.must_include ?? [],
  must_not_include: test?.must_not_include ?? [],
  expect: test?.expect ?? 'answer',
});

/** The reply a test was made from (a transcript's bot message), shown beside the form as reference. */
function ReferenceReply({ session, messageId }: { session: string; messageId: string }) {
  const { t } = useI18n();
  const transcript = useTranscript(session);
  const message = transcript.data?.messages.data.find((m) => m.id === messageId);
  if (!message) return null;
  return (
    <figure className="reference">
      <figcaption className="muted small">{t.tests.reference}</figcaption>
      <blockquote className="reply-text">{message.body}</blockquote>
    </figure>
  );
}

function TestForm({ test, question, reference, onDone }: { test?: AnswerTest; question?: string; reference?: { session: string; messageId: string }; onDone: (saved: boolean) => void }) {
  const { t } = useI18n();
  const id = useId();
  const save = useSaveAnswerTest();
  const [f, setF] = useState<FormState>(() => formOf(test, question));
  const first = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    first.current?.focus();
    first.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  const set = <K extends keyof FormState>(k: K, v: FormState[K]) => setF((x) => ({ ...x, [k]: v }));

  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    // A phrase still being typed counts: blur has added it already, or it is read here.
    const pending = (name: string) => (e.currentTarget.querySelector<HTMLElement>(`[data-field="${name}"] [data-pending]`)?.dataset.pending ?? '');
    const withPending = (list: string[], name: string) => {
      const p = pending(name).trim();
      return p && !list.includes(p) ? [...list, p] : list;
    };
    const fields: AnswerTestFields = {
      question: f.question.trim(),
      must_include: withPending(f.must_include, 'include'),
      must_not_include: withPending(f.must_not_include, 'exclude'),
      expect: f.expect,
      ...(f.language ? { language: f.language } : {}),
    };
    save.mutate({ id: test?.id, fields }, { onSuccess: () => onDone(true) });
  };

  return (
    <form className="form stack test-form card-block" aria-labelledby={`${id}-title`} onSubmit={submit} onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onDone(false); } }}>
      <h3 id={`${id}-title`}>{test ? t.tests.editTitle : t.tests.newTitle}</h3>
      {reference && <ReferenceReply session={reference.session} messageId={reference.messageId} />}
      <div className="row-fields">
        <div className="field">
          {/* Not wrapped: a wrapping label's name would include what is typed. */}
          <label htmlFor={`${id}-q`}>{t.tests.question}</label>
          <textarea id={`${id}-q`} ref={first} rows={2} required maxLength={500} value={f.question} aria-describedby={`${id}-q-help`} onChange={(e) => set('question', e.target.value)} />
          <span id={`${id}-q-help`} className="muted small">{t.tests.questionHelp}</span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-lang`}>{t.tests.language}</label>
          <select id={`${id}-lang`} value={f.language} onChange={(e) => set('language', e.target.value as FormState['language'])}>
            <option value="">{t.tests.auto}</option>
            <option value="en">EN</option>
            <option value="it">IT</option>
          </select>
        </div>
      </div>
      <div className="row-fields two">
        <div data-field="include"><PhraseInput label={t.tests.mustInclude} value={f.must_include} onChange={(v) => set('must_include', v)} /></div>
        <div data-field="exclude"><PhraseInput label={t.tests.mustNotInclude} value={f.must_not_include} not onChange={(v) => set('must_not_include', v)} /></div>
      </div>
      <fieldset className="choices inline-choices">
        <legend>{t.tests.expect}</legend>
        {(['answer', 'handoff'] as const).map((k) => (
          <label key={k} className="check-row"><input type="radio" name={`${id}-expect`} value={k} checked={f.expect === k} onChange={() => set('expect', k)} /> {t.tests.expectOptions[k]}</label>
        ))}
      </fieldset>
      <ErrorText error={save.error} />
      <div className="toolbar">
        <button type="submit" className="primary" disabled={save.isPending || !f.question.trim()}>{save.isPending ? t.saving : t.tests.saveTest}</button>
        <button type="button" onClick={() => onDone(false)}>{t.cancel}</button>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------------------------------------
// Results

function Expectation({ r }: { r: Pick<AnswerTestResult, 'must_include' | 'must_not_include' | 'expect'> }) {
  const { t } = useI18n();
  return (
    <>
      <Chips phrases={r.must_include} label={t.tests.mustInclude} />
      <Chips phrases={r.must_not_include} not label={t.tests.mustNotInclude} />
      <p className="small">{t.tests.expects[r.expect]}</p>
    </>
  );
}

function ResultItem({ r, businessId }: { r: AnswerTestResult; businessId: string }) {
  const { t } = useI18n();
  const reply = (
    <>
      <Highlighted text={r.reply} include={r.must_include} exclude={r.must_not_include} />
      <p className="muted small">{t.tests.outcome[r.outcome]}</p>
      {r.basis && businessId && <Receipt basis={r.basis} businessId={businessId} />}
    </>
  );
  if (r.passed) {
    return (
      <li className="test-result passed">
        <details>
          <summary><span className="result-mark" aria-hidden="true">✓</span> {r.question} <span className="pill">{r.language.toUpperCase()}</span></summary>
          <div className="compare">
            <div className="side"><h4>{t.tests.expected}</h4><Expectation r={r} /></div>
            <div className="side"><h4>{t.tests.reply}</h4>{reply}</div>
          </div>
        </details>
      </li>
    );
  }
  return (
    <li className="test-result failed">
      <h3><span className="result-mark" aria-hidden="true">✗</span> {r.question} <span className="pill">{r.language.toUpperCase()}</span></h3>
      <div className="compare">
        <div className="side"><h4>{t.tests.expected}</h4><Expectation r={r} /></div>
        <div className="side"><h4>{t.tests.reply}</h4>{reply}</div>
      </div>
      <p className="why"><strong>{t.tests.why}:</strong> {whyText(t, r)}</p>
    </li>
  );
}

function RunResults({ run, businessId }: { run: AnswerTestRun; businessId: string }) {
  const { t, lang } = useI18n();
  const failed = run.results.filter((r) => !r.passed);
  const passed = run.results.filter((r) => r.passed);
  const subject = t.tests.subject(run.subject.catalog_version, run.subject.persona?.name ?? null, !!run.subject.persona?.draft);
  return (
    <div className="stack run-results" data-run={run.id}>
      <p className={`run-counts ${run.failed ? 'bad-count' : 'ok-count'}`}>
        <span aria-hidden="true">{run.failed ? '✗ ' : '✓ '}</span><strong>{t.tests.counts(run.passed, run.failed)}</strong>
      </p>
      <p className="muted small">{t.tests.runOf(t.tests.against[run.against] ?? run.against, formatDateTime(run.created_at, lang))}{subject && ` · ${subject}`}</p>
      {failed.length > 0 && (
        <section aria-label={t.tests.failed} className="stack">
          <p className="muted small">{t.tests.legend}</p>
          <ul className="plain results">{failed.map((r) => <ResultItem key={r.test_id} r={r} businessId={businessId} />)}</ul>
        </section>
      )}
      {passed.length > 0 && (
        <section aria-label={t.tests.passed}>
          <ul className="plain results">{passed.map((r) => <ResultItem key={r.test_id} r={r} businessId={businessId} />)}</ul>
        </section>
      )}
    </div>
  );
}

// ---------------------------------------------------------------------------------------------

/** The switch that makes publish wait for the tests (a business setting). */
function BlockPublishing() {
  const { t } = useI18n();
  const id = useId();
  const tenant = useTenant();
  const save = useSaveTenant();
  // Shown as chosen while it is saved; back as it was if the save fails.
  const on = save.isPending ? !!save.variables.settings?.block_publish_on_failed_tests : !!tenant.data?.settings.block_publish_on_failed_tests;
  return (
    <div className="field">
      <label className="check-row">
        <input type="checkbox" checked={on} disabled={!tenant.data} aria-describedby={`${id}-help`}
          onChange={(e) => save.mutate({ settings: { block_publish_on_failed_tests: e.target.checked } })} />
        {t.tests.block}
      </label>
      <p id={`${id}-help`} className="muted small block-help">{t.tests.blockHelp}</p>
      <ErrorText error={save.error} small />
    </div>
  );
}

/** Answer tests (catalog.manage): write them, run them, read the failures side by side. */
export function AnswerTestsPage({ route }: { route?: string }) {
  const { t, lang } = useI18n();
  const tenant = useTenant();
  const tests = useAnswerTests();
  const runs = useAnswerTestRuns('all', 20);
  const remove = useDeleteAnswerTest();
  const [shown, setShown] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [removing, setRemoving] = useState<AnswerTest | null>(null);
  const [status, setStatus] = useState('');
  const runId = shown ?? runs.data?.data[0]?.id ?? null;
  const run = useAnswerTestRun(runId);
  const businessId = tenant.data?.id ?? '';

  // #/tests/new?q=…: the form opens with the question (from a transcript message or Usage).
  const query = routeQuery();
  const creating = route === 'new';
  const prefill = creating ? (query.get('q') ?? '') : '';
  const reference = creating && query.get('session') && query.get('reply_id') ? { session: query.get('session')!, messageId: query.get('reply_id')! } : undefined;
  const formOpen = creating || editing !== null;
  const closeForm = (saved: boolean) => {
    setEditing(null);
    setStatus(saved ? t.tests.saved : '');
    if (creating) go('tests');
  };
  const list = tests.data?.data ?? [];

  return (
    <div className="pad stack page answer-tests">
      <section className="card-block stack" aria-labelledby="tests-title">
        <h2 id="tests-title">{t.tests.title}</h2>
        <p className="muted">{t.tests.intro}</p>
        <RunButtons onRun={(r) => setShown(r.id)} />
        <BlockPublishing />
      </section>

      <section className="card-block stack" aria-labelledby="tests-results">
        <h2 id="tests-results">{t.tests.results}</h2>
        {run.data ? <RunResults run={run.data} businessId={businessId} /> : run.error || runs.error ? <ErrorText error={run.error ?? runs.error} /> : <p className="muted">{runs.isPending || run.isPending && runId ? t.loading : t.tests.noRuns}</p>}
      </section>

      <section className="card-block stack" aria-labelledby="tests-list">
        <div className="draft-head">
          <h2 id="tests-list">{t.tests.list(list.length)}</h2>
          <p className="status-line ok" role="status">{status}</p>
          {!formOpen && <a className="button primary" href="#/tests/new">+ {t.tests.add}</a>}
        </div>
        {creating && <TestForm key={window.location.hash} question={prefill} reference={reference} onDone={closeForm} />}
        <ErrorText error={tests.error ?? remove.error} />
        {tests.isPending && <p className="muted">{t.loading}</p>}
        {tests.data && list.length === 0 && !creating && <p className="muted">{t.tests.empty}</p>}
        <ul className="plain test-list">
          {list.map((test) =>
            editing === test.id ? (
              <li key={test.id}><TestForm test={test} onDone={(saved) => { closeForm(saved); requestAnimationFrame(() => document.getElementById(`edit-test-${test.id}`)?.focus()); }} /></li>
            ) : (
              <li key={test.id} className="test-row">
                <div className="test-main">
                  <strong className="test-question">{test.question}</strong>
                  <span className="pill">{test.language ? test.language.toUpperCase() : t.tests.auto}</span>
                  <span className="muted small">{t.tests.expects[test.expect]}</span>
                </div>
                <Chips phrases={test.must_include} label={t.tests.mustInclude} />
                <Chips phrases={test.must_not_include} not label={t.tests.mustNotInclude} />
                <span className="actions">
                  <button type="button" id={`edit-test-${test.id}`} aria-label={t.tests.editTest(test.question)} disabled={formOpen} onClick={() => { setStatus(''); setEditing(test.id); }}>{t.tests.edit}</button>
                  <button type="button" className="danger" aria-label={t.tests.removeTest(test.question)} onClick={() => { remove.reset(); setRemoving(test); }}>{t.tests.remove}</button>
                </span>
              </li>
            ),
          )}
        </ul>
      </section>

      <section className="card-block stack" aria-labelledby="tests-history">
        <h2 id="tests-history">{t.tests.history}</h2>
        {runs.data && runs.data.data.length === 0 && <p className="muted">{t.tests.noRuns}</p>}
        {runs.data && runs.data.data.length > 0 && (
          <div className="table-scroll">
            <table className="pricebook runs">
              <thead>
                <tr><th scope="col">{t.tests.when}</th><th scope="col">{t.tests.againstColumn}</th><th scope="col">{t.tests.triggerColumn}</th><th scope="col">{t.tests.result}</th><th scope="col"><span className="sr-only">{t.tests.open}</span></th></tr>
              </thead>
              <tbody>
                {runs.data.data.map((r) => (
                  <tr key={r.id} className={r.id === runId ? 'current' : undefined}>
                    <td>{formatDateTime(r.created_at, lang)}</td>
                    <td>{t.tests.against[r.against] ?? r.against}</td>
                    <td>{t.tests.trigger[r.trigger] ?? r.trigger}</td>
                    <td className={r.failed ? 'bad-count' : 'ok-count'}>{t.tests.ratio(r.passed, r.total)}</td>
                    <td>
                      {r.id === runId ? <span className="muted small">{t.tests.shown}</span> : (
                        <button type="button" className="link" onClick={() => { setShown(r.id); document.getElementById('tests-results')?.scrollIntoView({ block: 'start' }); }}>{t.tests.open}</button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      {removing && (
        <ConfirmDialog title={t.tests.confirmTitle} body={t.tests.confirmBody} confirm={t.tests.confirmDelete} busy={remove.isPending} onClose={() => setRemoving(null)}
          onConfirm={() => remove.mutate(removing.id, { onSuccess: () => { setRemoving(null); setStatus(t.tests.deleted); } })}>
          <p className="test-question">{removing.question}</p>
          <ErrorText error={remove.error} />
        </ConfirmDialog>
      )}
    </div>
  );
}
