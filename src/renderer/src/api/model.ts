import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { keys } from './keys';
import type { ModelConfig, ModelTestResult } from './types';

export const useModelConfig = () => useQuery({ queryKey: keys.model.all, queryFn: () => api<ModelConfig>('/api/settings/model') });

export function useSaveModel() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { enabled: boolean; base_url: string; model: string; timeout_ms: number }) => api<ModelConfig>('/api/settings/model', { method: 'PUT', body }),
    onSuccess: (m) => qc.setQueryData(keys.model.all, m),
  });
}

export const useTestModel = () =>
  useMutation({ mutationFn: (body: { base_url?: string; model?: string; timeout_ms?: number }) => api<ModelTestResult>('/api/settings/model/test', { method: 'POST', body }) });
