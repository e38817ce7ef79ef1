import { useMe } from '../api/auth';
import { useAnswerTestRun, useAnswerTestRuns, useAnswerTests, useRunAnswerTests, type AnswerTestAgainst, type AnswerTestResult, type AnswerTestRun } from '../api/answer-tests';
import { formatDateTime, formatRelative } from '../format';
import { useI18n, type Dict } from '../i18n';
import { ErrorText } from './ErrorText';

/** Why a result failed, in the UI language (the server's English sentence when a kind is new). */
export function whyText(t: Dict, r: AnswerTestResult): string {
  if (r.failures.length === 0) return r.why;
  return r.failures
    .map((f) => (f.kind === 'missing' || f.kind === 'forbidden' ? t.tests.failure[f.kind](f.phrase ?? '') : (t.tests.failure[f.kind] ?? r.why)))
    .join(' · ');
}

/** The run buttons: a spinner on the one running; the run is shown when it ends. */
export function RunButtons({ onRun, only, prepare }: { onRun?: (run: AnswerTestRun) => void; only?: AnswerTestAgainst; prepare?: () => Promise<unknown> }) {
  const { t } = useI18n();
  const run = useRunAnswerTests();
  const sides: AnswerTestAgainst[] = only ? [only] : ['published', 'draft'];
  return (
    <>
      <div className="toolbar" aria-busy={run.isPending || undefined}>
        {sides.map((against) => (
          <button key={against} type="button" className={against === 'published' || only ? 'primary' : undefined} disabled={run.isPending}
            onClick={() => void Promise.resolve(prepare?.()).then(() => run.mutate(against, { onSuccess: (r) => onRun?.(r) }), () => {})}>
            {run.isPending && run.variables === against && <span className="spinner" aria-hidden="true" />}
            {only ? t.tests.runTests : t.tests.run[against]}
          </button>
        ))}
        <span className="muted small" role="status">{run.isPending ? t.tests.running : ''}</span>
      </div>
      <ErrorText error={run.error} />
    </>
  );
}


/**
 * The answer tests on a publish screen (Catalog, Personas): the last run against the draft with
 * the questions that fail, a button to run them again, and the way to the Answer tests page.
 */
/**
 * `prepare`: what to do before a run (the Catalog page saves the draft being edited, so the run
 * sees it). `level`: its heading's, under the page's own headings. `catalogVersion`: the draft shown; a run against another catalog version is not its own.
 */
export function DraftTestsPanel({ prepare, catalogVersion, level = 3 }: { prepare?: () => Promise<unknown>; catalogVersion?: number; level?: 2 | 3 }) {
  const { t, lang } = useI18n();
  const me = useMe();
  const allowed = !!me.data?.user.permissions.includes('catalog.manage');
  const tests = useAnswerTests(allowed);
  const runs = useAnswerTestRuns('draft', 1, allowed);
  const newest = runs.data?.data[0];
  const last = newest && (catalogVersion === undefined || newest.subject.catalog_version === catalogVersion) ? newest : undefined;
  const run = useAnswerTestRun(last && last.failed > 0 ? last.id : null);
  const failing = run.data?.results.filter((r) => !r.passed) ?? [];
  const none = tests.data && tests.data.data.length === 0;
  if (!allowed) return null;

  return (
    <section className="tests-panel stack" aria-labelledby="draft-tests-title">
      {level === 2 ? <h2 id="draft-tests-title" className="h3">{t.tests.panel}</h2> : <h3 id="draft-tests-title">{t.tests.panel}</h3>}
      {none ? (
        <p className="muted small">{t.tests.panelNone} <a href="#/tests/new">{t.tests.panelWrite}</a></p>
      ) : (
        <>
          {last ? (
            <p className={last.failed ? 'tests-summary bad' : 'tests-summary good'}>
              <span aria-hidden="true">{last.failed ? '✗ ' : '✓ '}</span>
              {t.tests.panelSummary(last.passed, last.total, '')}
              <time dateTime={last.created_at} title={formatDateTime(last.created_at, lang)}>{formatRelative(last.created_at, lang)}</time>
            </p>
          ) : (
            runs.data && <p className="muted small">{t.tests.panelNotRun}</p>
          )}
          {failing.length > 0 && (
            <ul className="failing">
              {failing.map((r) => <li key={r.test_id}><strong>{r.question}</strong> <span className="muted small">— {whyText(t, r)}</span></li>)}
            </ul>
          )}
          <div className="toolbar">
            <RunButtons only="draft" prepare={prepare} />
            <a href="#/tests">{t.tests.panelOpen}</a>
          </div>
        </>
      )}
    </section>
  );
}
