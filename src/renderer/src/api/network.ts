import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NetworkCheckResult, NetworkSettings, NetworkSettingsInput } from '../../../shared/schemas/network';
import { api } from './client';
import { keys } from './keys';

export const useNetworkSettings = () => useQuery({ queryKey: keys.network.all, queryFn: () => api<NetworkSettings>('/api/settings/network') });

export function useSaveNetwork() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: NetworkSettingsInput) => api<NetworkSettings>('/api/settings/network', { method: 'PUT', body }),
    onSuccess: (s) => {
      qc.setQueryData(keys.network.all, s);
      // The snippet carries the public address.
      void qc.invalidateQueries({ queryKey: keys.widgetSetup.all });
    },
  });
}

export const useCheckNetwork = () =>
  useMutation({ mutationFn: (body: { public_url?: string }) => api<NetworkCheckResult>('/api/settings/network/check', { method: 'POST', body }) });
