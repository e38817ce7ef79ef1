import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, apiStream } from './client';
import { businessScope } from './scope';
import { keys } from './keys';
import type { ChatMessage, ChatReply, ChatSession, Page, SessionListItem, Transcript } from './types';

export function useSessions(filter: { status?: string; q?: string; label?: string; assignee?: string; channel?: string }) {
  return useInfiniteQuery({
    queryKey: keys.sessions.list(filter),
    initialPageParam: '',
    queryFn: ({ pageParam }) => {
      const p = new URLSearchParams({ limit: '50' });
      if (filter.status) p.set('status', filter.status);
      if (filter.q) p.set('q', filter.q);
      for (const k of ['label', 'assignee', 'channel'] as const) if (filter[k]) p.set(k, filter[k]);
      if (pageParam) p.set('cursor', pageParam);
      return api<Page<SessionListItem>>(`/api/chat/sessions?${p}`);
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useTranscript(id: string | null) {
  return useQuery({
    queryKey: keys.sessions.detail(id ?? ''),
    queryFn: () => api<Transcript>(`/api/chat/sessions/${encodeURIComponent(id!)}?limit=200`),
    enabled: !!id,
  });
}

function useSessionMutation<T, V>(fn: (v: V) => Promise<T>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => qc.invalidateQueries({ queryKey: keys.sessions.all }) });
}

export const useSessionAction = () =>
  useSessionMutation(({ id, action }: { id: string; action: 'takeover' | 'release' | 'close' }) =>
    api<ChatSession>(`/api/chat/sessions/${encodeURIComponent(id)}/${action}`, { method: 'POST' }),
  );

/** The business a platform admin is viewing: /api/chat/message takes it in the body, not the query. */
const scopeBody = (): { business_id?: string } => {
  const scope = businessScope();
  return scope ? { business_id: scope.slug } : {};
};

export const useSendMessage = () =>
  useSessionMutation(({ session_id, message }: { session_id: string; message: string }) =>
    api<ChatReply | { message_id: string; status: 'agent' }>('/api/chat/message', { method: 'POST', body: { session_id, message, ...scopeBody() } }),
  );

/** A staff message with Bob's answer streamed (a console session): `onToken` gets it as it is written. */
export const useStreamedMessage = () =>
  useSessionMutation(({ session_id, message, onToken }: { session_id: string; message: string; onToken: (text: string) => void }) =>
    apiStream<ChatReply | { message_id: string; status: 'agent' }>('/api/chat/message', { session_id, message, ...scopeBody() }, onToken),
  );

export const useAddNote = () =>
  useSessionMutation(({ id, body }: { id: string; body: string }) => api<ChatMessage>(`/api/chat/sessions/${encodeURIComponent(id)}/notes`, { method: 'POST', body: { body } }));

export const useConsoleSession = () =>
  useMutation({ mutationFn: (persona_id: string) => api<{ session_id: string }>('/api/chat/session', { method: 'POST', body: { persona_id } }) });
