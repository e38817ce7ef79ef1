import { useEffect, useReducer, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useUsage } from '../api/office';
import { OutcomesTable } from '../components/OutcomesTable';
import { UnansweredGroups } from '../components/UnansweredGroups';
import { CsatSummary } from '../components/CsatSummary';
import { StorageUsage } from '../components/Attachments';
import type { UsageReport } from '../api/types';
import { formatDate, formatNumber } from '../format';
import { useI18n } from '../i18n';
import { onThemeChange } from '../theme';

const DAYS = 30;
const day = (d: Date) => d.toISOString().slice(0, 10);
// Report days are calendar dates (UTC midnight): formatting them in UTC keeps the day they name.
const DAY_TICK: Intl.DateTimeFormatOptions = { day: 'numeric', month: 'short', timeZone: 'UTC' };
const DAY_LONG: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeZone: 'UTC' };

function Chart({ report }: { report: UsageReport }) {
  const { t, lang } = useI18n();
  const el = useRef<HTMLDivElement>(null);
  // A canvas does not follow CSS: redraw with the new colours when the theme changes.
  const [theme, redraw] = useReducer((n: number) => n + 1, 0);
  useEffect(() => onThemeChange(redraw), []);
  useEffect(() => {
    if (!el.current) return;
    // .chart's color and border-color are the theme's --muted and --line, resolved.
    const css = getComputedStyle(el.current);
    const axis = { stroke: css.color, grid: { stroke: css.borderTopColor, width: 1 }, ticks: { stroke: css.borderTopColor, width: 1 } };
    const count = (_u: uPlot, v: number | null) => (v == null ? '—' : formatNumber(v, lang));
    const xs = report.days.map((d) => Date.parse(d.date) / 1000);
    const plot = new uPlot(
      {
        width: el.current.clientWidth || 800,
        height: 280,
        series: [
          { label: t.usage.day, value: (_u, v) => (v == null ? '—' : formatDate(v * 1000, lang, DAY_LONG)) },
          { label: t.usage.conversations, stroke: '#2563eb', width: 2, value: count },
          { label: t.usage.aiReplies, stroke: '#16a34a', width: 2, value: count },
          { label: t.usage.handoffs, stroke: '#dc2626', width: 2, value: count },
        ],
        axes: [
          { ...axis, values: (_u, splits) => splits.map((s) => formatDate(s * 1000, lang, DAY_TICK)) },
          { ...axis, values: (_u, splits) => splits.map((v) => formatNumber(v, lang)) },
        ],
      },
      [xs, report.days.map((d) => d.conversations), report.days.map((d) => d.ai_replies), report.days.map((d) => d.handoffs)],
      el.current,
    );
    // The canvas has a fixed width: follow the page's (a window resized, a phone turned).
    const box = el.current;
    const resize = new ResizeObserver(() => {
      if (box.clientWidth && box.clientWidth !== plot.width) plot.setSize({ width: box.clientWidth, height: 280 });
    });
    resize.observe(box);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [report, t, lang, theme]);
  return <div ref={el} className="chart" role="img" aria-label={`${t.usage.conversations}, ${t.usage.aiReplies}, ${t.usage.handoffs}`} />;
}

export function UsagePage() {
  const { t, lang } = useI18n();
  const to = day(new Date());
  const from = day(new Date(Date.now() - (DAYS - 1) * 86_400_000));
  const usage = useUsage(from, to);
  if (!usage.data) return <p className="muted pad">{t.loading}</p>;
  const n = (v: number) => formatNumber(v, lang);
  const sum = (k: 'conversations' | 'messages' | 'ai_replies' | 'handoffs' | 'model_replies' | 'model_fallbacks') => usage.data.days.reduce((a, d) => a + d[k], 0);
  const { credits, retention } = usage.data;
  return (
    <div className="pad stack page">
      <section className="card-block">
        <h2>{t.usage.days(DAYS)}</h2>
        <p>{t.usage.credits(n(credits.used), n(credits.allowance), n(credits.left))}</p>
        <div className="stats">
          {([['conversations', t.usage.conversations], ['messages', t.usage.messages], ['ai_replies', t.usage.aiReplies], ['handoffs', t.usage.handoffs]] as const).map(([k, label]) => (
            <div key={k} className="stat"><span className="muted small">{label}</span><strong>{n(sum(k))}</strong></div>
          ))}
        </div>
        {sum('model_replies') + sum('model_fallbacks') > 0 && (
          <p className="muted small" role="note">{t.usage.model(n(sum('model_replies')), n(sum('model_fallbacks')))}</p>
        )}
        <p className="muted small" data-testid="retention-usage">
          {t.retention.policy(retention.effective_days === null ? null : n(retention.effective_days))}
          {(retention.effective_days !== null || retention.removed_this_month > 0) && <> {t.retention.removed(retention.removed_this_month, n(retention.removed_this_month))}.</>}
        </p>
        <StorageUsage storage={usage.data.storage} />
        <Chart report={usage.data} />
      </section>
      <CsatSummary csat={usage.data.csat} />
      <UnansweredGroups from={from} to={to} />
      <OutcomesTable from={from} to={to} />
    </div>
  );
}
