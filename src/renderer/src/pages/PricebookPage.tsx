import { useId, useState } from 'react';
import { usePricebookAction, usePricebookVersions, usePublishedPricebook } from '../api/governance';
import type { Plan, Pricebook } from '../api/types';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { ErrorText } from '../components/ErrorText';
import { formatDateTime, formatMoney, formatNumber } from '../format';
import { useI18n, type Dict } from '../i18n';


type Row = keyof Omit<Plan, 'id' | 'name'>;
const ROWS: { key: Row; label: (t: Dict) => string }[] = [
  { key: 'price_month', label: (t) => t.pricebook.price },
  { key: 'credits_month', label: (t) => t.pricebook.credits },
  { key: 'seats', label: (t) => t.pricebook.seats },
  { key: 'integrations', label: (t) => t.pricebook.integrations },
  { key: 'support', label: (t) => t.pricebook.support },
];

function useCell() {
  const { t, lang } = useI18n();
  return (p: Plan, k: Row, currency: string) => {
    const v = p[k];
    if (k === 'price_month') return formatMoney(v as number, currency, lang);
    if (k === 'seats') return v === null ? t.pricebook.unlimited : t.pricebook.upTo(formatNumber(v as number, lang));
    if (k === 'support') return t.supportLevels[v as string] ?? String(v);
    return typeof v === 'number' ? formatNumber(v, lang) : String(v);
  };
}

/** Published and draft share one layout, like the seed reference: features down, plans across. */
function PlanTable({ labelledBy, plans, cell, editable }: { labelledBy: string; plans: Plan[]; cell: (p: Plan, k: Row) => React.ReactNode; editable?: boolean }) {
  const { t } = useI18n();
  return (
    <table className={editable ? 'pricebook edit' : 'pricebook'} aria-labelledby={labelledBy}>
      <thead><tr><th scope="col">{t.pricebook.plan}</th>{plans.map((p) => <th key={p.id} scope="col">{p.name}</th>)}</tr></thead>
      <tbody>
        {ROWS.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label(t)}</th>
            {plans.map((p) => cell(p, r.key))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type Change = { plan: string; row: Row; before: string; after: string };

/** What publishing the draft changes, cell by cell, in the words the tables use. */
function useChanges(published: Pricebook, plans: Plan[], currency: string): Change[] {
  const cell = useCell();
  return plans.flatMap((p) => {
    const old = published.plans.find((o) => o.id === p.id);
    return ROWS.filter((r) => !old || old[r.key] !== p[r.key]).map((r) => ({
      plan: p.name,
      row: r.key,
      before: old ? cell(old, r.key, published.currency) : '—',
      after: cell(p, r.key, currency),
    }));
  });
}

function Changes({ changes }: { changes: Change[] }) {
  const { t } = useI18n();
  if (changes.length === 0) return <p className="muted">{t.pricebook.noChanges}</p>;
  return (
    <ul className="plain">
      {changes.map((c) => (
        <li key={`${c.plan}-${c.row}`}>
          {c.plan} · {ROWS.find((r) => r.key === c.row)!.label(t)}: <span className="price-change">{c.before} → {c.after}</span>
        </li>
      ))}
    </ul>
  );
}

function DraftEditor({ draft, published }: { draft: Pricebook; published: Pricebook }) {
  const { t } = useI18n();
  const cell = useCell();
  const act = usePricebookAction();
  const id = useId();
  const [plans, setPlans] = useState<Plan[]>(draft.plans);
  const [confirming, setConfirming] = useState(false);
  const changes = useChanges(published, plans, draft.currency);
  const edit = (planId: string, k: Row, raw: string) =>
    setPlans((ps) => ps.map((p) => (p.id !== planId ? p : { ...p, [k]: k === 'support' ? raw : k === 'seats' && raw === '' ? null : Number(raw) })));
  const publish = async () => {
    try {
      await act.mutateAsync({ kind: 'save', version: draft.version, plans });
      await act.mutateAsync({ kind: 'publish', version: draft.version });
      setConfirming(false);
    } catch {
      // the dialog stays open and shows why
    }
  };
  return (
    <div className="stack">
      <h2 id={`${id}-title`}>{t.pricebook.draft(draft.version)}</h2>
      <PlanTable editable labelledBy={`${id}-title`} plans={plans} cell={(p, k) => {
        const old = published.plans.find((o) => o.id === p.id);
        const changed = !old || old[k] !== p[k];
        return (
          <td key={p.id} className={changed ? 'changed' : undefined} title={changed && old ? `${t.pricebook.was} ${cell(old, k, published.currency)}` : undefined}>
            <input aria-label={`${p.name} ${ROWS.find((r) => r.key === k)!.label(t)}`} value={p[k] === null ? '' : String(p[k])} placeholder={k === 'seats' ? t.pricebook.unlimited : undefined}
              inputMode={k === 'support' ? 'text' : 'decimal'} onChange={(e) => edit(p.id, k, e.target.value)} />
          </td>
        );
      }} />
      <section aria-labelledby={`${id}-changes`}>
        <h3 id={`${id}-changes`}>{t.pricebook.changes}</h3>
        <Changes changes={changes} />
      </section>
      {!confirming && <ErrorText error={act.error} />}
      <div className="toolbar">
        <button type="button" disabled={act.isPending} onClick={() => act.mutate({ kind: 'save', version: draft.version, plans })}>{t.save}</button>
        <button type="button" className="primary" disabled={act.isPending} onClick={() => { act.reset(); setConfirming(true); }}>{t.pricebook.publish}</button>
      </div>
      {confirming && (
        <ConfirmDialog title={t.pricebook.confirmTitle(draft.version)} body={t.pricebook.confirmBody} confirm={t.pricebook.publish} busy={act.isPending}
          onClose={() => setConfirming(false)} onConfirm={() => void publish()}>
          <Changes changes={changes} />
          <ErrorText error={act.error} />
        </ConfirmDialog>
      )}
    </div>
  );
}

export function PricebookPage({ canManage }: { canManage: boolean }) {
  const { t, lang } = useI18n();
  const cell = useCell();
  const id = useId();
  const published = usePublishedPricebook();
  const versions = usePricebookVersions(canManage);
  const act = usePricebookAction();
  const draft = versions.data?.data.find((v) => v.status === 'draft');

  if (!published.data) return <p className="muted pad">{t.loading}</p>;
  const pb = published.data;
  return (
    <div className="pad stack page">
      <section className="card-block">
        <h2 id={`${id}-published`}>{t.pricebook.published(pb.version)}</h2>
        <PlanTable labelledBy={`${id}-published`} plans={pb.plans} cell={(p, k) => <td key={p.id}>{cell(p, k, pb.currency)}</td>} />
      </section>
      {canManage && (
        <section className="card-block">
          {!draft && <button type="button" className="primary" disabled={act.isPending} onClick={() => act.mutate({ kind: 'draft' })}>{t.pricebook.newDraft}</button>}
          {!draft && <ErrorText error={act.error} />}
          {draft && <DraftEditor key={draft.version} draft={draft} published={pb} />}
          <h3>{t.pricebook.versions}</h3>
          <ul className="plain">
            {versions.data?.data.map((v) => <li key={v.version}>v{v.version} · <span className={`pill ${v.status === 'published' ? 'bot' : ''}`}>{t.catalog.status[v.status]}</span> {v.published_at && <span className="muted small">{formatDateTime(v.published_at, lang)}</span>}</li>)}
          </ul>
        </section>
      )}
    </div>
  );
}
