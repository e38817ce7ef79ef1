import { useQueryClient, type InvalidateQueryFilters, type Query, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { EventType, StaffStreamData } from '../../../shared/events';
import { CALLBACKS } from './callbacks';
import { isRatingKey } from './csat';
import { keys } from './keys';
import { visitorTyping } from './presence';

/** Calls `fn` with the data of each `type` event (the staff stream sends each type's payload, with its tenant and time). */
function listen<T extends EventType>(source: EventSource, type: T, fn: (data: StaffStreamData<T>) => void) {
  source.addEventListener(type, (e) => fn(JSON.parse((e as MessageEvent<string>).data) as StaffStreamData<T>));
}

/** Queries whose first load is read again once it settles (see `invalidate`). */
const rereading = new WeakSet<Query>();

/**
 * Marks the queries stale and reads the shown ones again. An invalidation does not restart a
 * first load still in flight (TanStack joins it), and that load may have read the server before
 * this change: such a query is read once more when it settles, or the change would be lost until
 * the next one (a new visitor missing from Live on a busy machine).
 */
function invalidate(qc: QueryClient, filters: InvalidateQueryFilters) {
  for (const q of qc.getQueryCache().findAll(filters)) {
    if (q.state.data !== undefined || q.state.fetchStatus !== 'fetching' || rereading.has(q)) continue;
    rereading.add(q);
    void q.promise
      ?.catch(() => undefined)
      .finally(() => {
        rereading.delete(q);
        void qc.invalidateQueries({ queryKey: q.queryKey, exact: true });
      });
  }
  void qc.invalidateQueries(filters);
}

/**
 * Staff live events (SSE, cookie session): every change refreshes the cached queries it
 * touches, so pages stay live without polling. Returns the latest handoff for a notification.
 */
export function useLiveEvents(onHandoff: (e: StaffStreamData<'handoff.requested'>) => void) {
  const qc = useQueryClient();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    let source: EventSource;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let delay = 1000;
    const connect = () => {
      source = new EventSource('/api/events');
      /** A conversation (internal id) changed: the lists and its transcript. */
      const refresh = (sessionId: string) => {
        invalidate(qc, { queryKey: [...keys.sessions.all, 'list'] });
        invalidate(qc, { queryKey: keys.sessions.detail(sessionId) });
      };
      listen(source, 'message.created', (d) => {
        refresh(d.session_id);
        if (d.message.author === 'visitor') visitorTyping(d.session_id, false);
      });
      // Presence (issue #23): seen receipts refresh the transcript; typing is ephemeral (no id, never stored).
      listen(source, 'session.seen', (d) => refresh(d.session_id));
      source.addEventListener('typing', (e) => {
        const d = JSON.parse((e as MessageEvent<string>).data) as { session_id: string; typing: boolean };
        visitorTyping(d.session_id, d.typing);
      });
      for (const type of ['session.created', 'session.updated', 'session.closed'] as const) listen(source, type, (d) => refresh(d.session.id));
      listen(source, 'handoff.requested', (d) => {
        refresh(d.session.id);
        onHandoff(d);
      });
      // A conversation assigned (#23): its lists, and the notice for the assignee (components/AssignedNotice).
      listen(source, 'session.assigned', (d) => {
        refresh(d.session.id);
        window.dispatchEvent(new CustomEvent('bob:session-assigned', { detail: d }));
      });
      listen(source, 'pricebook.published', () => invalidate(qc, { queryKey: keys.pricebook.all }));
      listen(source, 'persona.updated', () => invalidate(qc, { queryKey: keys.personas.all }));
      // An erased visitor's conversation leaves every list and transcript at once (#22).
      listen(source, 'visitor.erased', () => invalidate(qc, { queryKey: keys.sessions.all }));
      // Live → Requests (#23): a visitor asked to be answered later, or a teammate answered.
      for (const type of ['callback.requested', 'callback.answered'] as const) listen(source, type, () => invalidate(qc, { queryKey: CALLBACKS }));
      // A rating (#23): the open transcript's badge and Usage's CSAT section.
      listen(source, 'csat.submitted', () => {
        invalidate(qc, { predicate: (q) => isRatingKey(q.queryKey) });
        invalidate(qc, { queryKey: ['usage'] });
      });
      // What changed before the stream was open (the first connection, or a reconnection the
      // server's replay no longer covers) reached no listener: the conversations are read again.
      source.onopen = () => {
        delay = 1000;
        setConnected(true);
        invalidate(qc, { queryKey: keys.sessions.all });
        invalidate(qc, { queryKey: CALLBACKS });
      };
      // The browser reconnects a dropped stream by itself, but gives up on one the server refused
      // (a 429 with too many streams open, a 503 while it restarts): that one is tried again here.
      source.onerror = () => {
        setConnected(false);
        if (source.readyState !== EventSource.CLOSED) return;
        retry = setTimeout(connect, delay);
        delay = Math.min(delay * 2, 30_000);
      };
    };
    connect();
    return () => {
      clearTimeout(retry);
      source.close();
    };
  }, [qc, onHandoff]);
  return connected;
}
