import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ErasureCounts } from '../../../shared/events';
import type { VisitorMatch } from '../../../shared/schemas/visitors';
import { api, apiBlob } from './client';
import { keys } from './keys';

// A visitor's rights (privacy.manage): find, export, erase.

export const useVisitorSearch = (q: string) =>
  useQuery({
    queryKey: ['visitors', 'search', q],
    queryFn: () => api<{ data: VisitorMatch[] }>(`/api/visitors?q=${encodeURIComponent(q)}`),
    enabled: q.trim().length > 0,
  });

/** Everything Bob holds about the visitor, saved as a JSON file. */
export async function downloadVisitorExport(sessionId: string, notes: boolean): Promise<void> {
  const blob = await apiBlob(`/api/visitors/${encodeURIComponent(sessionId)}/export?notes=${notes ? 1 : 0}`, 'application/json');
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `bob-visitor-${sessionId.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80)}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function useEraseVisitor() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (sessionId: string) => api<{ session_id: string; counts: ErasureCounts }>(`/api/visitors/${encodeURIComponent(sessionId)}`, { method: 'DELETE' }),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['visitors'] });
      void qc.invalidateQueries({ queryKey: keys.sessions.all });
    },
  });
}
