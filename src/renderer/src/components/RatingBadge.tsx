import { useSessionRating } from '../api/csat';
import { useI18n } from '../i18n';

/**
 * The transcript header's line about the visitor's rating (issue #23): stars, "Rated n of 5" and
 * the comment, as text. Nothing until the conversation is rated; `csat.submitted` refreshes it.
 */
export function RatingBadge({ sessionId }: { sessionId: string }) {
  const { t } = useI18n();
  const q = useSessionRating(sessionId);
  const r = q.data?.rating;
  if (!r) return null;
  return (
    <div className="rating-badge small" data-testid="rating-badge">
      <span className="stars" aria-hidden="true">
        {'★'.repeat(r.score)}
        <span className="off">{'★'.repeat(5 - r.score)}</span>
      </span>{' '}
      <strong>{t.csat.rated(r.score)}</strong>
      {r.comment && (
        <blockquote className="rating-comment" aria-label={t.csat.comment} tabIndex={0}>
          {r.comment}
        </blockquote>
      )}
    </div>
  );
}
