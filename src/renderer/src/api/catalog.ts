import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CatalogItemInput, CatalogVersion, PublishedCatalog } from '../../../shared/schemas/catalog';
import { scoped } from './scope';
import { api } from './client';
import { keys } from './keys';
import type { Page } from './types';

export type { CatalogItemInput, CatalogVersion, PublishedCatalog };

/** What a business has published: public, so every role (and the widget) reads the same thing. */
export const usePublishedCatalog = (businessId: string | undefined) =>
  useQuery({
    queryKey: keys.catalog.published(businessId ?? ''),
    queryFn: () => api<PublishedCatalog>(`/api/catalog?business_id=${encodeURIComponent(businessId!)}`),
    enabled: !!businessId,
  });

export const useCatalogVersions = (enabled: boolean) =>
  useQuery({ queryKey: keys.catalog.versions(), queryFn: () => api<Page<CatalogVersion>>('/api/catalog/versions'), enabled });

export type CatalogAction =
  | { kind: 'draft' }
  | { kind: 'save'; version: number; currency: string; items: CatalogItemInput[] }
  | { kind: 'import'; version: number; csv: string }
  | { kind: 'publish'; version: number };

const run = (a: CatalogAction) => {
  const at = (v: number) => `/api/catalog/versions/${v}`;
  switch (a.kind) {
    case 'draft':
      return api<CatalogVersion>('/api/catalog/versions', { method: 'POST' });
    case 'save':
      return api<CatalogVersion>(at(a.version), { method: 'PUT', body: { currency: a.currency, items: a.items } });
    case 'import':
      return api<CatalogVersion>(`${at(a.version)}/import`, { method: 'POST', text: { type: 'text/csv', data: a.csv } });
    case 'publish':
      return api<CatalogVersion>(`${at(a.version)}/publish`, { method: 'POST' });
  }
};

export function useCatalogAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: run,
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.catalog.all }),
    // A publish runs the answer tests first where the business asks for it: the panel shows that run.
    onSettled: (_d, _e, a) => (a.kind === 'publish' ? qc.invalidateQueries({ queryKey: keys.answerTests.all }) : undefined),
  });
}

/** Adds a few items to the catalog and publishes it (the onboarding wizard): to the open draft, else to a new one. */
export async function publishFirstItems(items: CatalogItemInput[]): Promise<CatalogVersion> {
  const versions = await api<Page<CatalogVersion>>('/api/catalog/versions');
  const draft = versions.data.find((v) => v.status === 'draft') ?? (await run({ kind: 'draft' }));
  await run({ kind: 'save', version: draft.version, currency: draft.currency, items: [...draft.items, ...items] });
  return run({ kind: 'publish', version: draft.version });
}

export const catalogExportUrl = (version: number) => scoped(`/api/catalog/versions/${version}/export`);
