import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { RetentionPlatform, RetentionPolicy } from '../../../shared/schemas/retention';
import type { Tenant } from './types';
import { api } from './client';
import { keys } from './keys';

// Retention (#22). Query keys of its own (under 'retention'); the tenant's cache is the shared one.
const RETENTION = ['retention'] as const;
const POLICY = [...RETENTION, 'policy'] as const;
const PLATFORM = [...RETENTION, 'platform'] as const;

/** The business's retention as applied (its days, the platform's cap, the effective days). */
export const useRetentionPolicy = () => useQuery({ queryKey: POLICY, queryFn: () => api<RetentionPolicy>('/api/retention') });

/** Saves the business's own days (null: keep) through PATCH /api/tenant. */
export function useSaveRetention() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (days: number | null) => api<Tenant>('/api/tenant', { method: 'PATCH', body: { settings: { retention_days: days } } }),
    onSuccess: (t) => {
      qc.setQueryData(keys.tenant.all, t);
      void qc.invalidateQueries({ queryKey: RETENTION });
    },
  });
}

/** The platform's maximum (platform admins). */
export const usePlatformRetention = () => useQuery({ queryKey: PLATFORM, queryFn: () => api<RetentionPlatform>('/api/settings/retention') });

export function useSavePlatformRetention() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (max_days: number | null) => api<RetentionPlatform>('/api/settings/retention', { method: 'PUT', body: { max_days } }),
    onSuccess: (p) => {
      qc.setQueryData(PLATFORM, p);
      void qc.invalidateQueries({ queryKey: POLICY });
    },
  });
}
