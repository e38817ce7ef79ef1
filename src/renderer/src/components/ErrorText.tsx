import { ApiError } from '../api/client';
import { useI18n, type Dict } from '../i18n';

// Failures a person can act on, said in their language (by the server's error code).
const BY_CODE: Record<string, (t: Dict, err: ApiError) => string> = {
  network: (t) => t.networkError,
  rate_limited: (t, err) => t.rateLimited(Math.max(1, Math.ceil((err.retryAfter ?? 60) / 60))),
  forbidden: (t) => t.errors.forbidden,
  unauthenticated: (t) => t.errors.expired,
  csrf_failed: (t) => t.errors.expired,
  not_found: (t) => t.errors.notFound,
  integration_limit_reached: (t) => t.webhooks.full,
  seat_limit_reached: (t) => t.team.full,
  slug_taken: (t) => t.businesses.slugTaken,
  email_taken: (t) => t.businesses.emailTaken,
  managed_by_environment: (t) => t.errors.managedByEnvironment,
  demo_passwords_unchanged: (t) => t.errors.demoPasswords,
  port_in_use: (t) => t.errors.portInUse,
  session_closed: (t) => t.errors.sessionClosed,
  pricebook_immutable: (t) => t.errors.pricebookImmutable,
  catalog_immutable: (t) => t.errors.catalogImmutable,
  catalog_draft_exists: (t) => t.errors.catalogDraftExists,
  // The server names the line and the column of each bad row: keep them.
  invalid_csv: (t, err) => t.errors.invalidCsv(csvProblems(t, err) ?? err.message),
  widget_key_revoked: (t) => t.errors.keyRevoked,
  // Knowledge documents: what went wrong with a file or a page, and what to do instead.
  no_text: (t) => t.knowledge.errors.no_text,
  origin_not_allowed: (t) => t.knowledge.errors.origin_not_allowed,
  private_address: (t) => t.knowledge.errors.private_address,
  redirect_off_origin: (t) => t.knowledge.errors.redirect_off_origin,
  fetch_failed: (t, err) => t.knowledge.errors.fetch_failed(err.message),
  page_too_large: (t) => t.knowledge.errors.page_too_large,
  // Publishing blocked by failing answer tests: name each one and why.
  answer_tests_failed: (t, err) => t.tests.blocked(failingTests(err) ?? err.message),
  no_tests: (t) => t.tests.noTests,
  no_draft: (t) => t.personas.noDraft,
  // The server names the field and the problem: keep its specifics.
  invalid_request: (t, err) => t.errors.invalid(err.message),
};

/** The failing tests of a 409 answer_tests_failed, as “question” (why); … */
export function failingTests(err: ApiError): string | null {
  const failing = (err.details as { failing?: { question: string; why: string }[] } | undefined)?.failing;
  if (!Array.isArray(failing) || failing.length === 0) return null;
  return failing.map((f) => (f.why ? `“${f.question}” (${f.why})` : `“${f.question}”`)).join('; ');
}

type CsvProblem = { line: number; column: string | null; message: string };
function csvProblems(t: Dict, err: ApiError): string | null {
  if (!Array.isArray(err.details) || err.details.length === 0) return null;
  return (err.details as CsvProblem[]).map((p) => `${t.errors.csvAt(p.line, p.column)}: ${p.message}`).join('; ');
}

/** What to tell a person about a failed request, in their language; the server's words otherwise. */
export function errorText(t: Dict, err: unknown): string {
  if (!(err instanceof ApiError)) return t.genericError;
  const known = Object.hasOwn(BY_CODE, err.code) ? BY_CODE[err.code] : undefined;
  if (known) return known(t, err);
  return err.status >= 500 ? t.genericError : err.message;
}

/** An error under a form or an action, announced to screen readers. Renders nothing without one. */
export function ErrorText({ error, small }: { error: unknown; small?: boolean }) {
  const { t } = useI18n();
  if (!error) return null;
  return <p className={small ? 'error small' : 'error'} role="alert">{errorText(t, error)}</p>;
}
