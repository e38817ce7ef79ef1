import { useId, useState } from 'react';
import { useAudit, useTeam, type AuditFilter } from '../api/office';
import type { Audit } from '../api/types';
import { visitorLabel } from '../components/Conversations';
import { useI18n, type Dict } from '../i18n';
import { formatDateTime } from '../format';

/** Where each kind of target lives in Mission Control, so a row opens what it names. */
const PAGES: Record<string, (id: string) => string> = {
  chat_session: (id) => `#/history/${id}`,
  persona: () => '#/personas',
  widget_key: () => '#/widget',
  webhook: () => '#/webhooks',
  user: () => '#/team',
  pricebook: () => '#/pricebook',
  catalog: () => '#/catalog',
  faq: () => '#/profile',
  settings: () => '#/settings',
  tenant: () => '#/businesses',
};

/** A target named the way the page it lives on names it. */
function targetName(r: Audit, t: Dict): string {
  if (r.target_type === 'chat_session' && r.session_id) return visitorLabel({ visitor_name: r.target_name, session_id: r.session_id }, t);
  if (r.target_type === 'pricebook' || r.target_type === 'catalog') return `${t.nav[r.target_type]} · ${t.audit.version(r.target_id ?? '')}`;
  if (r.target_type === 'settings') return t.audit.settings[r.target_id ?? ''] ?? t.nav.settings;
  return r.target_name ?? r.target_id?.slice(0, 8) ?? '';
}

function Target({ r }: { r: Audit }) {
  const { t } = useI18n();
  if (!r.target_type) return <>—</>;
  const href = PAGES[r.target_type]?.(r.target_id ?? '');
  const name = targetName(r, t);
  return href ? <a href={href}>{name}</a> : <>{name}</>;
}

const NO_FILTER: AuditFilter = { actor_id: '', action: '', from: '', to: '' };

export function AuditPage() {
  const { t, lang } = useI18n();
  const id = useId();
  const [filter, setFilter] = useState(NO_FILTER);
  const audit = useAudit(filter);
  const team = useTeam();
  const rows = audit.data?.pages.flatMap((p) => p.data) ?? [];
  const set = (k: keyof AuditFilter) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setFilter((f) => ({ ...f, [k]: e.target.value }));
  return (
    <div className="pad stack page">
      <form role="search" aria-label={t.audit.filters} className="filters card-block" onSubmit={(e) => e.preventDefault()}>
        <label htmlFor={`${id}-person`}>{t.audit.person}</label>{' '}
        <select id={`${id}-person`} value={filter.actor_id} onChange={set('actor_id')}>
          <option value="">{t.audit.everyone}</option>
          {team.data?.data.map((m) => <option key={m.id} value={m.id}>{m.name || m.email}</option>)}
        </select>
        <label htmlFor={`${id}-action`}>{t.audit.action}</label>{' '}
        <select id={`${id}-action`} value={filter.action} onChange={set('action')}>
          <option value="">{t.audit.allActions}</option>
          {Object.entries(t.audit.groups).map(([prefix, label]) => <option key={prefix} value={prefix}>{label}</option>)}
        </select>
        <label htmlFor={`${id}-from`}>{t.audit.from}</label>{' '}<input id={`${id}-from`} type="date" value={filter.from} max={filter.to || undefined} onChange={set('from')} />
        <label htmlFor={`${id}-to`}>{t.audit.to}</label>{' '}<input id={`${id}-to`} type="date" value={filter.to} min={filter.from || undefined} onChange={set('to')} />
      </form>
      <section className="card-block">
        {audit.isSuccess && rows.length === 0 && <p className="muted">{t.audit.empty}</p>}
        <table className="pricebook" aria-label={t.audit.title}>
          <thead><tr><th scope="col">{t.audit.when}</th><th scope="col">{t.audit.who}</th><th scope="col">{t.audit.what}</th><th scope="col">{t.audit.target}</th><th scope="col">IP</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td className="small">{formatDateTime(r.at, lang)}</td>
                <td>{r.actor_name ?? r.actor_email ?? '—'}</td>
                <td title={r.action}>{t.audit.actions[r.action] ?? r.action}</td>
                <td className="small"><Target r={r} /></td>
                <td className="small muted">{r.ip ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {audit.hasNextPage && <button type="button" className="more" onClick={() => void audit.fetchNextPage()}>{t.history.more}</button>}
      </section>
    </div>
  );
}
