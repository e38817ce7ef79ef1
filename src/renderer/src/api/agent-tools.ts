// Issue #23, tools for agents: quick replies, labels, teammates and assignment.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CannedResponse, ChatLabel, Teammate } from '../../../shared/schemas/agent-tools';
import type { ChatSession } from './types';
import { api } from './client';
import { keys } from './keys';

export type { CannedResponse, ChatLabel, Teammate };

const toolKeys = {
  canned: ['agent-tools', 'canned'] as const,
  labels: ['agent-tools', 'labels'] as const,
  teammates: ['agent-tools', 'teammates'] as const,
};

export const useCanned = (enabled = true) =>
  useQuery({ queryKey: toolKeys.canned, queryFn: () => api<{ data: CannedResponse[] }>('/api/canned-responses').then((r) => r.data), enabled, staleTime: 30_000 });
export const useLabels = () => useQuery({ queryKey: toolKeys.labels, queryFn: () => api<{ data: ChatLabel[] }>('/api/chat/labels').then((r) => r.data) });
export const useTeammates = () => useQuery({ queryKey: toolKeys.teammates, queryFn: () => api<{ data: Teammate[] }>('/api/chat/teammates').then((r) => r.data), staleTime: 60_000 });

type CannedFields = Pick<CannedResponse, 'shortcut' | 'title' | 'body_en' | 'body_it'>;

export function useCannedMutations() {
  const qc = useQueryClient();
  const onSettled = () => qc.invalidateQueries({ queryKey: toolKeys.canned });
  return {
    create: useMutation({ mutationFn: (body: CannedFields) => api<CannedResponse>('/api/canned-responses', { method: 'POST', body }), onSettled }),
    update: useMutation({ mutationFn: ({ id, ...body }: CannedFields & { id: string }) => api<CannedResponse>(`/api/canned-responses/${id}`, { method: 'PATCH', body }), onSettled }),
    remove: useMutation({ mutationFn: (id: string) => api<void>(`/api/canned-responses/${id}`, { method: 'DELETE' }), onSettled }),
  };
}

export function useLabelMutations() {
  const qc = useQueryClient();
  const onSettled = () => Promise.all([qc.invalidateQueries({ queryKey: toolKeys.labels }), qc.invalidateQueries({ queryKey: keys.sessions.all })]);
  return {
    create: useMutation({ mutationFn: (body: { name: string; color: ChatLabel['color'] }) => api<ChatLabel>('/api/chat/labels', { method: 'POST', body }), onSettled }),
    remove: useMutation({ mutationFn: (id: string) => api<void>(`/api/chat/labels/${id}`, { method: 'DELETE' }), onSettled }),
  };
}

/** A change to a conversation: its transcript's copy takes the answer at once, the lists are read again. */
function useSessionPut<V extends { id: string }>(path: (v: V) => string, body: (v: V) => unknown) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: V) => api<ChatSession>(path(v), { method: 'PUT', body: body(v) }),
    onSuccess: (session, v) => qc.setQueryData(keys.sessions.detail(v.id), (old: { session: ChatSession } | undefined) => (old ? { ...old, session } : old)),
    onSettled: () => qc.invalidateQueries({ queryKey: keys.sessions.all }),
  });
}

export const useSetLabels = () =>
  useSessionPut(({ id }: { id: string; labels: string[] }) => `/api/chat/sessions/${encodeURIComponent(id)}/labels`, ({ labels }) => ({ labels }));
export const useAssign = () =>
  useSessionPut(({ id }: { id: string; user_id: string | null }) => `/api/chat/sessions/${encodeURIComponent(id)}/assignee`, ({ user_id }) => ({ user_id }));

/** The conversation list's filters (Live and History), kept in the address's query. */
export interface SessionFilter {
  status?: string;
  label?: string;
  assignee?: string;
  channel?: string;
}
export const FILTER_KEYS = ['status', 'label', 'assignee', 'channel'] as const;

/** The event Mission Control's staff stream turns `session.assigned` into, for the notice. */
export const ASSIGNED_EVENT = 'bob:session-assigned';
