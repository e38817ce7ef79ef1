import { useEffect, useState } from 'react';
import { useSessions } from '../api/chat';
import { ConversationSplit, Snippet, visitorLabel } from '../components/Conversations';
import { Transcript } from '../components/Transcript';
import { ConversationFilters, filterFromRoute, filterQuery } from '../components/ConversationFilters';
import { SessionTags } from '../components/SessionTools';
import { useI18n } from '../i18n';
import { formatDateTime } from '../format';

/** The search runs this long after the last keystroke, so typing a word makes one request, not one per letter. */
const SEARCH_DELAY_MS = 250;

export function HistoryPage({ selected }: { selected?: string }) {
  const { t, lang } = useI18n();
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const filter = filterFromRoute();
  useEffect(() => {
    const timer = setTimeout(() => setQuery(q.trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [q]);
  const list = useSessions({ q: query || undefined, ...filter });
  const sessions = list.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <ConversationSplit
      open={!!selected}
      list={
        <div className="list">
          <form className="filters" role="search" onSubmit={(e) => { e.preventDefault(); setQuery(q.trim()); }}>
            <label className="search-field">
              <span className="small muted">{t.history.searchLabel}</span>
              <input type="search" placeholder={t.history.search} value={q} onChange={(e) => setQ(e.target.value)} />
            </label>
          </form>
          <ConversationFilters base={selected ? `history/${selected}` : 'history'} filter={filter} />
          {list.isSuccess && sessions.length === 0 && <p className="muted pad">{t.history.empty}</p>}
          <ul aria-busy={list.isFetching || q.trim() !== query || undefined}>
            {sessions.map((s) => (
              <li key={s.id}>
                <a href={`#/history/${s.id}${filterQuery(filter)}`} className={`row${selected === s.id ? ' active' : ''}`} aria-current={selected === s.id ? 'true' : undefined}>
                  <span className="row-top">
                    <strong>{visitorLabel(s, t)}</strong>
                    <span className="muted small">{formatDateTime(s.last_message_at, lang)}</span>
                  </span>
                  <span className="muted small ellipsis">{s.match ? <Snippet snippet={s.match.snippet} /> : s.last_message}</span>
                  <SessionTags session={s} />
                </a>
              </li>
            ))}
          </ul>
          {list.hasNextPage && <button type="button" className="more" onClick={() => void list.fetchNextPage()}>{t.history.more}</button>}
        </div>
      }
    >
      {selected ? <Transcript key={selected} id={selected} readOnly back="history" /> : <p className="muted pad">{t.live.pick}</p>}
    </ConversationSplit>
  );
}
