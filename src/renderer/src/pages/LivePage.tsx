import { useEffect, useMemo, useState } from 'react';
import { useSessions } from '../api/chat';
import type { ChatSession } from '../api/types';
import { ConversationSplit, visitorLabel } from '../components/Conversations';
import { RequestsQueue, RequestsToggle } from '../components/live/RequestsQueue';
import { Transcript } from '../components/Transcript';
import { ConversationFilters, filterFromRoute, filterQuery } from '../components/ConversationFilters';
import { SessionTags } from '../components/SessionTools';
import { useI18n } from '../i18n';
import { go } from '../router';

function waited(since: string, now: number): string {
  const s = Math.max(0, Math.round((now - Date.parse(since)) / 1000));
  return s < 60 ? `${s}s` : s < 3600 ? `${Math.floor(s / 60)}m` : `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
}

/** Waiting-for-a-person first (longest wait on top), then the rest by latest activity. */
export function sortLive(sessions: ChatSession[]): ChatSession[] {
  const waiting = sessions.filter((s) => s.status === 'waiting_for_agent').sort((a, b) => (a.waiting_since ?? '').localeCompare(b.waiting_since ?? ''));
  const rest = sessions.filter((s) => s.status !== 'waiting_for_agent' && s.status !== 'closed');
  return [...waiting, ...rest];
}

/** Messages this browser has seen per conversation, so the list can show what is new. */
function useSeen(selected: string | undefined, sessions: ChatSession[]) {
  const [seen, setSeen] = useState<Record<string, number>>(() => JSON.parse(localStorage.getItem('bob.seen') ?? '{}'));
  const current = sessions.find((s) => s.id === selected);
  useEffect(() => {
    if (!current || seen[current.id] === current.message_count) return;
    const next = { ...seen, [current.id]: current.message_count };
    setSeen(next);
    localStorage.setItem('bob.seen', JSON.stringify(next));
  }, [current, seen]);
  return (s: ChatSession) => Math.max(0, s.message_count - (seen[s.id] ?? 0));
}

export function LivePage({ selected }: { selected?: string }) {
  const { t } = useI18n();
  const filter = filterFromRoute();
  const list = useSessions(filter);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  const sessions = useMemo(() => sortLive(list.data?.pages.flatMap((p) => p.data) ?? []), [list.data]);
  const unread = useSeen(selected, sessions);
  const [requests, setRequests] = useState(false);

  return (
    <ConversationSplit
      open={!!selected}
      list={
        <div className="live-column">
        <RequestsToggle open={requests} onToggle={() => setRequests(!requests)} />
        {requests ? <RequestsQueue /> : (
        <nav className="list" aria-label={t.nav.live}>
          <ConversationFilters base={selected ? `live/${selected}` : 'live'} filter={filter} statuses={['waiting_for_agent', 'agent', 'bot']} />
          {list.isPending && <p className="muted pad">{t.loading}</p>}
          {list.isError && <p className="error pad" role="alert">{t.error}</p>}
          {list.isSuccess && sessions.length === 0 && <p className="muted pad">{t.live.empty}</p>}
          <ul>
            {sessions.map((s) => (
              <li key={s.id}>
                <a href={`#/live/${s.id}${filterQuery(filter)}`} className={`row${selected === s.id ? ' active' : ''}`} aria-current={selected === s.id ? 'true' : undefined}>
                  <span className="row-top">
                    <strong>{visitorLabel(s, t)}</strong>
                    <span className={`pill ${s.status}`}>
                      {s.status === 'waiting_for_agent' && s.waiting_since ? t.live.waitingFor(waited(s.waiting_since, now)) : t.status[s.status]}
                    </span>
                  </span>
                  <span className="row-bottom">
                    <span className="muted small ellipsis">{s.last_message}</span>
                    {unread(s) > 0 && selected !== s.id && <span className="unread" aria-label={t.live.unread(unread(s))}>{unread(s)}</span>}
                  </span>
                  <SessionTags session={s} />
                </a>
              </li>
            ))}
          </ul>
        </nav>
        )}
        </div>
      }
    >
      {selected ? <Transcript key={selected} id={selected} back="live" /> : <p className="muted pad">{t.live.pick}</p>}
    </ConversationSplit>
  );
}

export const openSession = (id: string) => go(`live/${id}`);
