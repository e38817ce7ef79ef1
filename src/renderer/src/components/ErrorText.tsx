import { ApiError } from '../api/client';
import { useI18n, type Dict } from '../i18n';

/** What to tell a person about a failed request, in their language; the server's words otherwise. */
export function errorText(t: Dict, err: unknown): string {
  if (!(err instanceof ApiError)) return t.genericError;
  switch (err.code) {
    case 'network':
      return t.networkError;
    case 'rate_limited':
      return t.rateLimited(Math.max(1, Math.ceil((err.retryAfter ?? 60) / 60)));
    case 'forbidden':
      return t.errors.forbidden;
    case 'unauthenticated':
    case 'csrf_failed':
      return t.errors.expired;
    case 'not_found':
      return t.errors.notFound;
    case 'integration_limit_reached':
      return t.webhooks.full;
    case 'seat_limit_reached':
      return t.team.full;
    case 'managed_by_environment':
      return t.settings.modelEnv;
    case 'session_closed':
      return t.errors.sessionClosed;
    case 'pricebook_immutable':
      return t.errors.pricebookImmutable;
    case 'widget_key_revoked':
      return t.errors.keyRevoked;
    case 'invalid_request':
      return t.errors.invalid(err.message);
    default:
      return err.status >= 500 ? t.genericError : err.message;
  }
}

/** An error under a form or an action, announced to screen readers. Renders nothing without one. */
export function ErrorText({ error, small }: { error: unknown; small?: boolean }) {
  const { t } = useI18n();
  if (!error) return null;
  return <p className={small ? 'error small' : 'error'} role="alert">{errorText(t, error)}</p>;
}
