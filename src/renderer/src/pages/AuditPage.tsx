import { useState } from 'react';
import { useAudit } from '../api/office';
import { useI18n } from '../i18n';

export function AuditPage() {
  const { t } = useI18n();
  const [filter, setFilter] = useState('');
  const [action, setAction] = useState('');
  const audit = useAudit(action);
  const rows = audit.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <div className="pad stack page">
      <form role="search" className="filters card-block" onSubmit={(e) => { e.preventDefault(); setAction(filter.trim()); }}>
        <input type="search" aria-label={t.audit.filter} placeholder={t.audit.filter} value={filter} onChange={(e) => setFilter(e.target.value)} />
      </form>
      <section className="card-block">
        {audit.isSuccess && rows.length === 0 && <p className="muted">{t.audit.empty}</p>}
        <table className="pricebook">
          <thead><tr><th>{t.audit.when}</th><th>{t.audit.who}</th><th>{t.audit.what}</th><th>{t.audit.target}</th><th>IP</th></tr></thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id}>
                <td className="small">{new Date(r.at).toLocaleString()}</td>
                <td>{r.actor_email ?? '—'}</td>
                <td><code className="small">{r.action}</code></td>
                <td className="small">{r.target_type ? `${r.target_type} ${r.target_id?.slice(0, 8) ?? ''}` : '—'}</td>
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
