import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { keys } from './keys';
import type { Audit, NewMember, Page, Team, TeamMember, Tenant, UsageReport } from './types';

export const useTeam = () => useQuery({ queryKey: keys.team.all, queryFn: () => api<Team>('/api/team') });

export function useTeamAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: { kind: 'add'; email: string; name: string; role: TeamMember['role'] } | { kind: 'patch'; id: string; role?: TeamMember['role']; disabled?: boolean }) =>
      a.kind === 'add'
        ? api<NewMember>('/api/team', { method: 'POST', body: { email: a.email, name: a.name, role: a.role } })
        : api<TeamMember>(`/api/team/${a.id}`, { method: 'PATCH', body: { role: a.role, disabled: a.disabled } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.team.all }),
  });
}

/** What the Audit page narrows by: a person, an action group ("chat.") and a day range (YYYY-MM-DD, local days, both included). */
export type AuditFilter = { actor_id: string; action: string; from: string; to: string };

/** Local midnight of a YYYY-MM-DD day, `plus` days later, as the server's ISO instant. */
const dayStart = (day: string, plus = 0) => {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d! + plus).toISOString();
};

export function useAudit(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: keys.audit.list(filter),
    initialPageParam: '',
    queryFn: ({ pageParam }) => {
      const p = new URLSearchParams({ limit: '50' });
      if (filter.action) p.set('action', filter.action);
      if (filter.actor_id) p.set('actor_id', filter.actor_id);
      if (filter.from) p.set('from', dayStart(filter.from));
      if (filter.to) p.set('to', dayStart(filter.to, 1));
      if (pageParam) p.set('cursor', pageParam);
      return api<Page<Audit>>(`/api/audit?${p}`);
    },
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export const useUsage = (from: string, to: string) =>
  useQuery({ queryKey: keys.usage.range(from, to), queryFn: () => api<UsageReport>(`/api/usage?from=${from}&to=${to}`) });

export function useSaveTenant() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (patch: { name?: string; settings?: Partial<Tenant['settings']> }) => api<Tenant>('/api/tenant', { method: 'PATCH', body: patch }),
    onSuccess: (t) => qc.setQueryData(keys.tenant.all, t),
  });
}
