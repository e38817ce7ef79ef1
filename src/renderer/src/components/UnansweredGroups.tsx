import { useUnanswered } from '../api/insights';
import { formatDateTime, formatNumber, formatRelative } from '../format';
import { useI18n } from '../i18n';
import { ErrorText } from './ErrorText';

const REASONS = ['unknown', 'handoff', 'fallback'] as const;

/** Usage → "What Bob couldn't answer": each group links to its conversations and to a prefilled FAQ entry (or a test). */
export function UnansweredGroups({ from, to }: { from: string; to: string }) {
  const { t, lang } = useI18n();
  const report = useUnanswered(from, to);
  const when = (at: string) => <time dateTime={at} title={formatDateTime(at, lang)}>{formatRelative(at, lang)}</time>;
  return (
    <section className="card-block stack" aria-labelledby="insights-unanswered">
      <h2 id="insights-unanswered">{t.insights.unansweredTitle}</h2>
      <p className="muted">{t.insights.unansweredIntro}</p>
      <ErrorText error={report.error} />
      {report.isPending && <p className="muted">{t.loading}</p>}
      {report.data && report.data.groups.length === 0 && <p className="empty-note">{t.insights.unansweredEmpty}</p>}
      {report.data && report.data.groups.length > 0 && (
        <>
          <p className="small muted">{t.insights.total(report.data.total)}</p>
          <ul className="plain unanswered">
            {report.data.groups.map((g) => {
              const q = encodeURIComponent(g.question);
              const others = g.wordings.filter((w) => w !== g.question);
              return (
                <li key={`${g.question}|${g.first_seen}`} className="unanswered-group">
                  <div className="group-head">
                    <strong className="group-question">“{g.question}”</strong>
                    <span className="pill count">{t.insights.asked(g.count)}</span>
                  </div>
                  {others.length > 0 && (
                    <div className="small">
                      <span className="muted">{t.insights.alsoAsked}:</span>
                      <ul className="wordings">{others.map((w) => <li key={w}>“{w}”</li>)}</ul>
                    </div>
                  )}
                  <p className="small muted group-meta">
                    {t.insights.firstSeen} {when(g.first_seen)} · {t.insights.lastSeen} {when(g.last_seen)}
                  </p>
                  <ul className="plain chips" aria-label={t.insights.why}>
                    {REASONS.filter((r) => g.reasons[r] > 0).map((r) => (
                      <li key={r} className={`chip reason-${r}`}>{t.insights.reasons[r]} · {formatNumber(g.reasons[r], lang)}</li>
                    ))}
                  </ul>
                  {g.conversations.length > 0 && (
                    <p className="small conversation-links">
                      <span className="muted">{t.insights.conversations}: </span>
                      {g.conversations.map((c, i) => (
                        <a key={c.id} href={`#/history/${c.id}`}>{t.insights.conversation(i + 1)}</a>
                      ))}
                    </p>
                  )}
                  <div className="toolbar">
                    <a className="button primary" href={`#/knowledge/faq-new?q=${q}`} aria-label={t.insights.answerLabel(g.question)}>{t.insights.answerThis}</a>
                    <a className="button" href={`#/tests/new?q=${q}`} aria-label={t.insights.makeTestLabel(g.question)}>{t.insights.makeTest}</a>
                  </div>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
