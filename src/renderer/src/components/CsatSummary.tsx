import type { UsageReport } from '../api/types';
import { formatNumber } from '../format';
import { useI18n } from '../i18n';

/** Usage's "Visitor ratings" (issue #23): the period's average and count, for Bob alone and per agent. */
export function CsatSummary({ csat }: { csat: UsageReport['csat'] }) {
  const { t, lang } = useI18n();
  const avg = (v: number | null) => (v === null ? '—' : formatNumber(v, lang));
  const rows = [{ key: 'bob', name: t.csat.bob, count: csat.bob.count, average: csat.bob.average }, ...csat.agents.map((a) => ({ key: a.agent_id, name: a.name ?? t.csat.unknown, count: a.count, average: a.average }))].filter((r) => r.count > 0);
  return (
    <section className="card-block" aria-labelledby="csat-title" data-testid="csat-usage">
      <h2 id="csat-title">{t.csat.title}</h2>
      {csat.count === 0 ? (
        <p className="muted">{t.csat.none}</p>
      ) : (
        <>
          <p>{t.csat.summary(avg(csat.average), csat.count, formatNumber(csat.count, lang))}</p>
          <div className="table-scroll">
            <table className="outcomes">
              <thead>
                <tr>
                  <th scope="col">{t.csat.who}</th>
                  <th scope="col" className="num">{t.csat.count}</th>
                  <th scope="col" className="num">{t.csat.average}</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.key}>
                    <th scope="row">{r.name}</th>
                    <td className="num" data-label={t.csat.count}>{formatNumber(r.count, lang)}</td>
                    <td className="num" data-label={t.csat.average}>{avg(r.average)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
