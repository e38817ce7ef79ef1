import { useEffect, useState } from 'react';
import { usePricebookAction, usePricebookVersions, usePublishedPricebook } from '../api/governance';
import type { Plan, Pricebook } from '../api/types';
import { useI18n, type Dict } from '../i18n';

const money = (n: number, currency: string, lang: string) => new Intl.NumberFormat(lang, { style: 'currency', currency, maximumFractionDigits: Number.isInteger(n) ? 0 : 2 }).format(n);
const count = (n: number, lang: string) => new Intl.NumberFormat(lang).format(n);

const ROWS: { key: keyof Plan; label: (t: Dict) => string }[] = [
  { key: 'price_month', label: (t) => t.pricebook.price },
  { key: 'credits_month', label: (t) => t.pricebook.credits },
  { key: 'seats', label: (t) => t.pricebook.seats },
  { key: 'integrations', label: (t) => t.pricebook.integrations },
  { key: 'support', label: (t) => t.pricebook.support },
];

/** The published table, laid out like the seed reference: features down, plans across. */
function Table({ pb, compare }: { pb: Pricebook; compare?: Pricebook }) {
  const { t, lang } = useI18n();
  const cell = (p: Plan, k: keyof Plan) => {
    const v = p[k];
    if (k === 'price_month') return money(v as number, pb.currency, lang);
    if (k === 'seats') return v === null ? t.pricebook.unlimited : t.pricebook.upTo(count(v as number, lang));
    return typeof v === 'number' ? count(v, lang) : String(v);
  };
  return (
    <table className="pricebook">
      <thead><tr><th scope="col">{t.pricebook.plan}</th>{pb.plans.map((p) => <th key={p.id} scope="col">{p.name}</th>)}</tr></thead>
      <tbody>
        {ROWS.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label(t)}</th>
            {pb.plans.map((p) => {
              const before = compare?.plans.find((c) => c.id === p.id);
              const changed = compare && (!before || before[r.key] !== p[r.key]);
              return <td key={p.id} className={changed ? 'changed' : undefined} title={changed ? t.pricebook.changed : undefined}>{cell(p, r.key)}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PricebookPage({ canManage }: { canManage: boolean }) {
  const { t } = useI18n();
  const published = usePublishedPricebook();
  const versions = usePricebookVersions(canManage);
  const act = usePricebookAction();
  const draft = versions.data?.data.find((v) => v.status === 'draft');
  const [plans, setPlans] = useState<Plan[] | null>(null);
  useEffect(() => setPlans(draft ? draft.plans : null), [draft?.version]); // eslint-disable-line react-hooks/exhaustive-deps

  if (!published.data) return <p className="muted pad">{t.loading}</p>;
  const edit = (i: number, k: keyof Plan, raw: string) =>
    setPlans((ps) => ps!.map((p, j) => (j !== i ? p : { ...p, [k]: k === 'support' || k === 'name' ? raw : k === 'seats' && raw === '' ? null : Number(raw) })));

  return (
    <div className="pad stack page">
      <section className="card-block">
        <h2>{t.pricebook.published(published.data.version)}</h2>
        <Table pb={published.data} />
      </section>
      {canManage && (
        <section className="card-block">
          {!draft && <button type="button" className="primary" onClick={() => act.mutate({ kind: 'draft' })}>{t.pricebook.newDraft}</button>}
          {draft && plans && (
            <div className="stack">
              <h2>{t.pricebook.draft(draft.version)}</h2>
              <table className="pricebook edit">
                <thead><tr><th scope="col">{t.pricebook.plan}</th>{ROWS.map((r) => <th key={r.key} scope="col">{r.label(t)}</th>)}</tr></thead>
                <tbody>
                  {plans.map((p, i) => (
                    <tr key={p.id}>
                      <th scope="row">{p.name}</th>
                      {ROWS.map((r) => (
                        <td key={r.key}>
                          <input aria-label={`${p.name} ${r.label(t)}`} value={p[r.key] === null ? '' : String(p[r.key])} placeholder={r.key === 'seats' ? t.pricebook.unlimited : undefined}
                            inputMode={r.key === 'support' ? 'text' : 'decimal'} onChange={(e) => edit(i, r.key, e.target.value)} />
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
              <Table pb={{ ...draft, plans }} compare={published.data} />
              {act.error && <p className="error" role="alert">{(act.error as Error).message}</p>}
              <div className="toolbar">
                <button type="button" onClick={() => act.mutate({ kind: 'save', version: draft.version, plans })}>{t.save}</button>
                <button type="button" className="primary" disabled={act.isPending} onClick={async () => {
                  if (!window.confirm(t.pricebook.confirmPublish(draft.version))) return;
                  await act.mutateAsync({ kind: 'save', version: draft.version, plans });
                  await act.mutateAsync({ kind: 'publish', version: draft.version });
                }}>{t.pricebook.publish}</button>
              </div>
            </div>
          )}
          <h3>{t.pricebook.versions}</h3>
          <ul className="plain">
            {versions.data?.data.map((v) => <li key={v.version}>v{v.version} · <span className={`pill ${v.status === 'published' ? 'bot' : ''}`}>{v.status}</span> {v.published_at && <span className="muted small">{new Date(v.published_at).toLocaleString()}</span>}</li>)}
          </ul>
        </section>
      )}
    </div>
  );
}
