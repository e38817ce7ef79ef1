import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { keys } from './keys';
import type { Page, Persona, PersonaVersionT, Pricebook, Setup, Tenant, WidgetKey } from './types';

export const usePersonas = () => useQuery({ queryKey: keys.personas.list(), queryFn: () => api<Page<Persona>>('/api/personas') });
export const usePersonaVersions = (id: string | null) =>
  useQuery({ queryKey: keys.personas.versions(id ?? ''), queryFn: () => api<{ data: PersonaVersionT[] }>(`/api/personas/${id}/versions`), enabled: !!id });

export function useSavePersona() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, version, fields }: { id?: string; version?: number; fields: Pick<Persona, 'name' | 'description' | 'tone' | 'systemPrompt'> }) =>
      id
        ? api<Persona>(`/api/personas/${id}`, { method: 'PUT', body: fields, headers: { 'If-Match': `"${id}.v${version}"` } })
        : api<Persona>('/api/personas', { method: 'POST', body: fields }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.personas.all }),
  });
}

type PersonaFields = Pick<Persona, 'name' | 'description' | 'tone' | 'systemPrompt'>;

/**
 * A persona's unpublished edits: saved as its draft (visitors keep the published version), then
 * published (a new version) or discarded.
 */
export function usePersonaDraft() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: { kind: 'save'; id: string; fields: PersonaFields } | { kind: 'publish' | 'discard'; id: string }) => {
      const at = `/api/personas/${encodeURIComponent(a.id)}`;
      return a.kind === 'save'
        ? api<Persona>(`${at}/draft`, { method: 'PUT', body: a.fields })
        : a.kind === 'publish'
          ? api<Persona>(`${at}/publish`, { method: 'POST' })
          : api<Persona | undefined>(`${at}/draft`, { method: 'DELETE' });
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.personas.all }),
    // A publish runs the answer tests first where the business asks for it: the panel shows that run.
    onSettled: (_d, _e, a) => (a.kind === 'publish' ? qc.invalidateQueries({ queryKey: keys.answerTests.all }) : undefined),
  });
}

export function usePersonaAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, version }: { id: string; action: 'default' | 'delete' | 'restore'; version?: number }) =>
      action === 'delete'
        ? api<Persona | undefined>(`/api/personas/${id}`, { method: 'DELETE' })
        : action === 'default'
          ? api<Persona>(`/api/personas/${id}/default`, { method: 'POST' })
          : api<Persona>(`/api/personas/${id}/versions/${version}/restore`, { method: 'POST' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.personas.all }),
  });
}

export const useWidgetKeys = () => useQuery({ queryKey: keys.widgetKeys.all, queryFn: () => api<Page<WidgetKey>>('/api/widget-keys') });
export const useWidgetSetup = () => useQuery({ queryKey: keys.widgetSetup.all, queryFn: () => api<Setup>('/api/widget/setup') });

export function useWidgetKeyAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: { kind: 'create'; label: string; mode: 'live' | 'test'; origins: string[] } | { kind: 'origins'; id: string; origins: string[] } | { kind: 'rotate' | 'revoke'; id: string }) =>
      a.kind === 'create'
        ? api<WidgetKey>('/api/widget-keys', { method: 'POST', body: { label: a.label, mode: a.mode, allowed_origins: a.origins } })
        : a.kind === 'origins'
          ? api<WidgetKey>(`/api/widget-keys/${a.id}`, { method: 'PATCH', body: { allowed_origins: a.origins } })
          : a.kind === 'rotate'
            ? api<WidgetKey>(`/api/widget-keys/${a.id}/rotate`, { method: 'POST' })
            : api<WidgetKey | undefined>(`/api/widget-keys/${a.id}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.widgetKeys.all }),
  });
}

export const usePublishedPricebook = () => useQuery({ queryKey: keys.pricebook.published(), queryFn: () => api<Pricebook>('/api/pricebook') });
export const usePricebookVersions = (enabled: boolean) =>
  useQuery({ queryKey: keys.pricebook.versions(), queryFn: () => api<Page<Pricebook>>('/api/pricebook/versions'), enabled });

export function usePricebookAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: { kind: 'draft' } | { kind: 'save'; version: number; plans: Pricebook['plans'] } | { kind: 'publish'; version: number }) =>
      a.kind === 'draft'
        ? api<Pricebook>('/api/pricebook/versions', { method: 'POST' })
        : a.kind === 'save'
          ? api<Pricebook>(`/api/pricebook/versions/${a.version}`, { method: 'PUT', body: { plans: a.plans } })
          : api<Pricebook>(`/api/pricebook/versions/${a.version}/publish`, { method: 'POST' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.pricebook.all }),
  });
}

export const useTenant = () => useQuery({ queryKey: keys.tenant.all, queryFn: () => api<Tenant>('/api/tenant') });
