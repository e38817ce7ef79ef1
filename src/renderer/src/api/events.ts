import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { keys } from './keys';

interface HandoffEvent {
  session: { id: string; session_id: string; visitor_name: string | null };
  /** What the visitor wrote that led to the handoff. */
  message: string;
}

/**
 * Staff live events (SSE, cookie session): every change refreshes the cached queries it
 * touches, so pages stay live without polling. Returns the latest handoff for a notification.
 */
export function useLiveEvents(onHandoff: (e: HandoffEvent) => void) {
  const qc = useQueryClient();
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource('/api/events');
    const refresh = (e: MessageEvent) => {
      const data = JSON.parse(e.data) as { session_id?: string; session?: { id: string } };
      void qc.invalidateQueries({ queryKey: [...keys.sessions.all, 'list'] });
      const id = data.session_id ?? data.session?.id;
      if (id) void qc.invalidateQueries({ queryKey: keys.sessions.detail(id) });
    };
    for (const type of ['session.created', 'message.created', 'session.updated', 'session.closed']) source.addEventListener(type, refresh);
    source.addEventListener('handoff.requested', (e) => {
      refresh(e as MessageEvent);
      onHandoff(JSON.parse((e as MessageEvent).data) as HandoffEvent);
    });
    source.addEventListener('pricebook.published', () => void qc.invalidateQueries({ queryKey: keys.pricebook.all }));
    source.addEventListener('persona.updated', () => void qc.invalidateQueries({ queryKey: keys.personas.all }));
    source.onopen = () => setConnected(true);
    source.onerror = () => setConnected(false);
    return () => source.close();
  }, [qc, onHandoff]);
  return connected;
}
