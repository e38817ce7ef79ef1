import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CatalogItemInput, CatalogVersion, PublishedCatalog } from '../../../shared/schemas/catalog';
import type { FaqEntry } from '../../../shared/schemas/faq';
import { scoped } from './scope';
import { api } from './client';
import { keys } from './keys';
import type { Page } from './types';

export type { CatalogItemInput, CatalogVersion, PublishedCatalog };
export type Faq = z.infer<typeof FaqEntry>;

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

/** The FAQ entries (personas.manage): receipts name an entry by its question; others see "FAQ" only. */
export const useFaq = (enabled = true) =>
  useQuery({ queryKey: keys.faq.all, queryFn: () => api<Page<Faq>>('/api/faq'), enabled, retry: false, staleTime: 60_000 });

export type FaqAction =
  | { kind: 'add'; question: string; answer: string }
  | { kind: 'edit'; id: string; question: string; answer: string }
  | { kind: 'delete'; id: string };

/** Adds, edits or deletes an FAQ entry (the Knowledge page); Bob answers with it from the next message. */
export function useFaqAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: FaqAction): Promise<Faq | void> =>
      a.kind === 'add'
        ? api<Faq>('/api/faq', { method: 'POST', body: { question: a.question, answer: a.answer } })
        : a.kind === 'edit'
          ? api<Faq>(`/api/faq/${a.id}`, { method: 'PUT', body: { question: a.question, answer: a.answer } })
          : api<void>(`/api/faq/${a.id}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.faq.all }),
  });
}

export const catalogExportUrl = (version: number) => scoped(`/api/catalog/versions/${version}/export`);
