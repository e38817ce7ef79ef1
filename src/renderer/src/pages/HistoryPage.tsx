import { useState } from 'react';
import { useSessions } from '../api/chat';
import { Transcript } from '../components/Transcript';
import { useI18n } from '../i18n';

export function HistoryPage({ selected }: { selected?: string }) {
  const { t } = useI18n();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [status, setStatus] = useState('');
  const list = useSessions({ q: query || undefined, status: status || undefined });
  const sessions = list.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <div className="split">
      <div className="list">
        <form className="filters" role="search" onSubmit={(e) => { e.preventDefault(); setQuery(q.trim()); }}>
          <input type="search" aria-label={t.history.search} placeholder={t.history.search} value={q} onChange={(e) => setQ(e.target.value)} />
          <select aria-label={t.history.all} value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t.history.all}</option>
            {Object.entries(t.status).map(([k, v]) => <option key={k} value={k}>{v}</option>)}
          </select>
        </form>
        {list.isSuccess && sessions.length === 0 && <p className="muted pad">{t.history.empty}</p>}
        <ul>
          {sessions.map((s) => (
            <li key={s.id}>
              <a href={`#/history/${s.id}`} className={`row${selected === s.id ? ' active' : ''}`}>
                <span className="row-top">
                  <strong>{s.visitor_name ?? s.session_id.slice(0, 12)}</strong>
                  <span className="muted small">{new Date(s.last_message_at).toLocaleString()}</span>
                </span>
                <span className="muted small ellipsis">{s.last_message}</span>
              </a>
            </li>
          ))}
        </ul>
        {list.hasNextPage && <button type="button" className="more" onClick={() => void list.fetchNextPage()}>{t.history.more}</button>}
      </div>
      <div className="detail">{selected && <Transcript id={selected} readOnly />}</div>
    </div>
  );
}
