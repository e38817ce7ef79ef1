import { useState } from 'react';
import { downloadOutcomesCsv, useOutcomes, type OutcomeDay } from '../api/insights';
import { formatDate, formatNumber, formatPercent } from '../format';
import { useI18n } from '../i18n';
import { ErrorText } from './ErrorText';

// Report days are calendar dates (UTC midnight): formatting them in UTC keeps the day they name.
const DAY: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short', timeZone: 'UTC' };
type Counts = Omit<OutcomeDay, 'date'>;

/** The day's split as a stacked bar, drawn with CSS; the numbers beside it say the same to a screen reader. */
function Bar({ c }: { c: Counts }) {
  if (c.conversations === 0) return null;
  const pct = (n: number) => `${(n / c.conversations) * 100}%`;
  return (
    <span className="outcome-bar" aria-hidden="true">
      <span className="seg bot" style={{ width: pct(c.answered_by_bot) }} />
      <span className="seg person" style={{ width: pct(c.handed_to_person) }} />
      <span className="seg abandoned" style={{ width: pct(c.abandoned) }} />
    </span>
  );
}

/** Usage → "How conversations end": per day, with totals, a CSV export of the same report. */
export function OutcomesTable({ from, to }: { from: string; to: string }) {
  const { t, lang } = useI18n();
  const report = useOutcomes(from, to);
  const [downloading, setDownloading] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const n = (v: number) => formatNumber(v, lang);
  const share = (v: number | null) => (v === null ? '—' : formatPercent(v, lang));
  const download = async () => {
    setError(null);
    setDownloading(true);
    try {
      await downloadOutcomesCsv(from, to);
    } catch (err) {
      setError(err);
    } finally {
      setDownloading(false);
    }
  };
  const days = report.data?.days.filter((d) => d.conversations > 0) ?? [];
  // data-label: on phones each day is a small card whose cells name themselves.
  const cells = (c: Counts) => (
    <>
      <td className="num" data-label={t.insights.conversationsCol}>{n(c.conversations)}</td>
      <td className="num" data-label={t.insights.answeredByBot}>{n(c.answered_by_bot)}</td>
      <td className="num" data-label={t.insights.handedToPerson}>{n(c.handed_to_person)}</td>
      <td className="num" data-label={t.insights.abandoned}>{n(c.abandoned)}</td>
      <td className="num" data-label={t.insights.resolved}>{share(c.resolved_without_person)}</td>
      <td className="bar-cell"><Bar c={c} /></td>
    </>
  );
  return (
    <section className="card-block stack" aria-labelledby="insights-outcomes">
      <div className="section-head">
        <h2 id="insights-outcomes">{t.insights.outcomesTitle}</h2>
        <button type="button" onClick={() => void download()} disabled={downloading || !report.data}>
          {downloading && <span className="spinner" aria-hidden="true" />}{downloading ? t.insights.downloading : t.insights.download}
        </button>
      </div>
      <p className="muted">{t.insights.outcomesIntro}</p>
      <ul className="plain legend small" aria-hidden="true">
        <li><span className="swatch bot" />{t.insights.answeredByBot}</li>
        <li><span className="swatch person" />{t.insights.handedToPerson}</li>
        <li><span className="swatch abandoned" />{t.insights.abandoned}</li>
      </ul>
      <ErrorText error={report.error ?? error} />
      {report.isPending && <p className="muted">{t.loading}</p>}
      {report.data && days.length === 0 && <p className="empty-note">{t.insights.outcomesEmpty}</p>}
      {report.data && days.length > 0 && (
        <>
          <div className="table-scroll">
            <table className="outcomes">
              <thead>
                <tr>
                  <th scope="col">{t.insights.day}</th>
                  <th scope="col" className="num">{t.insights.conversationsCol}</th>
                  <th scope="col" className="num">{t.insights.answeredByBot}</th>
                  <th scope="col" className="num">{t.insights.handedToPerson}</th>
                  <th scope="col" className="num">{t.insights.abandoned}</th>
                  <th scope="col" className="num">{t.insights.resolved}</th>
                  <th scope="col"><span className="sr-only">{t.insights.breakdown}</span></th>
                </tr>
              </thead>
              <tbody>
                {days.map((d) => (
                  <tr key={d.date}>
                    <th scope="row">{formatDate(`${d.date}T00:00:00Z`, lang, DAY)}</th>
                    {cells(d)}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t.insights.totalRow}</th>
                  {cells(report.data.totals)}
                </tr>
              </tfoot>
            </table>
          </div>
          {days.length < report.data.days.length && <p className="muted small">{t.insights.quietDays}</p>}
        </>
      )}
    </section>
  );
}
