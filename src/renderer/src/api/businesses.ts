import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import type { z } from 'zod';
import type { TenantCreated, TenantListItem } from '../../../shared/schemas/tenants';
import { api } from './client';
import { keys } from './keys';
import { setBusinessScope, type BusinessScope } from './scope';
import type { Page, Tenant } from './types';

export type Business = TenantListItem;
export type NewBusiness = z.infer<typeof TenantCreated>;

export function useBusinesses() {
  return useInfiniteQuery({
    queryKey: keys.businesses.all,
    initialPageParam: '',
    queryFn: ({ pageParam }) => api<Page<Business>>(`/api/tenants?limit=100${pageParam ? `&cursor=${encodeURIComponent(pageParam)}` : ''}`),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

export function useCreateBusiness() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { name: string; slug: string; plan_id: string; owner_email: string; owner_name?: string }) => api<NewBusiness>('/api/tenants', { method: 'POST', body }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.businesses.all }),
  });
}

export function useChangePlan() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, plan_id }: { id: string; plan_id: string }) => api<Tenant>(`/api/tenants/${encodeURIComponent(id)}`, { method: 'PATCH', body: { plan_id } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.businesses.all }),
  });
}

/**
 * Switches the business Mission Control shows (null: the admin's own). Cached pages belong to the
 * previous business, so everything but the session and the platform's lists is fetched again.
 */
export function useSwitchBusiness() {
  const qc = useQueryClient();
  return useCallback(
    (next: BusinessScope | null) => {
      setBusinessScope(next);
      const platformWide = new Set<unknown>([keys.auth.all[0], keys.businesses.all[0], keys.pricebook.all[0], keys.model.all[0], keys.network.all[0]]);
      void qc.resetQueries({ predicate: (q) => !platformWide.has(q.queryKey[0]) });
    },
    [qc],
  );
}
