import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useUsage } from '../api/office';
import type { UsageReport } from '../api/types';
import { useI18n } from '../i18n';

const DAYS = 30;
const day = (d: Date) => d.toISOString().slice(0, 10);

function Chart({ report }: { report: UsageReport }) {
  const { t } = useI18n();
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const xs = report.days.map((d) => Date.parse(d.date) / 1000);
    const plot = new uPlot(
      {
        width: el.current.clientWidth || 800,
        height: 280,
        series: [
          {},
          { label: t.usage.conversations, stroke: '#2563eb', width: 2 },
          { label: t.usage.aiReplies, stroke: '#16a34a', width: 2 },
          { label: t.usage.handoffs, stroke: '#dc2626', width: 2 },
        ],
        axes: [{}, { label: '' }],
      },
      [xs, report.days.map((d) => d.conversations), report.days.map((d) => d.ai_replies), report.days.map((d) => d.handoffs)],
      el.current,
    );
    return () => plot.destroy();
  }, [report, t]);
  return <div ref={el} className="chart" role="img" aria-label={`${t.usage.conversations}, ${t.usage.aiReplies}, ${t.usage.handoffs}`} />;
}

export function UsagePage() {
  const { t, lang } = useI18n();
  const to = day(new Date());
  const from = day(new Date(Date.now() - (DAYS - 1) * 86_400_000));
  const usage = useUsage(from, to);
  if (!usage.data) return <p className="muted pad">{t.loading}</p>;
  const n = (v: number) => new Intl.NumberFormat(lang).format(v);
  const sum = (k: 'conversations' | 'messages' | 'ai_replies' | 'handoffs' | 'model_replies' | 'model_fallbacks') => usage.data.days.reduce((a, d) => a + d[k], 0);
  const { credits } = usage.data;
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
        <Chart report={usage.data} />
      </section>
    </div>
  );
}
