import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { FaqEntry } from '../../../shared/schemas/faq';
import type { KnowledgeDocument, KnowledgeDocumentDetail } from '../../../shared/schemas/knowledge';
import { api } from './client';
import { keys } from './keys';
import type { Page } from './types';

export type { KnowledgeDocument, KnowledgeDocumentDetail };
export { KNOWLEDGE_FILE_MAX } from '../../../shared/knowledge-limits';
export type Faq = z.infer<typeof FaqEntry>;

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


/** The business's documents (catalog.manage): Bob answers from their passages and names them. */
export const useKnowledge = () => useQuery({ queryKey: keys.knowledge.list(), queryFn: () => api<Page<KnowledgeDocument>>('/api/knowledge') });

/** One document with its readable text, for viewing and editing. */
export const useKnowledgeDocument = (id: string | undefined) =>
  useQuery({ queryKey: keys.knowledge.detail(id ?? ''), queryFn: () => api<KnowledgeDocumentDetail>(`/api/knowledge/${id}`), enabled: !!id });

export type KnowledgeAction =
  | { kind: 'upload'; file: File; title?: string }
  | { kind: 'write'; title: string; content: string }
  | { kind: 'import'; url: string; title?: string }
  | { kind: 'update'; id: string; title?: string; content?: string }
  | { kind: 'refetch'; id: string }
  | { kind: 'delete'; id: string };

function run(a: KnowledgeAction): Promise<KnowledgeDocument | void> {
  switch (a.kind) {
    case 'upload': {
      // Multipart: the server reads the type from the content, not the name.
      const form = new FormData();
      if (a.title) form.set('title', a.title);
      form.set('file', a.file, a.file.name);
      return api<KnowledgeDocument>('/api/knowledge', { method: 'POST', form });
    }
    case 'write':
      return api<KnowledgeDocument>('/api/knowledge', { method: 'POST', body: { title: a.title, content: a.content, type: 'markdown' } });
    case 'import':
      return api<KnowledgeDocument>('/api/knowledge/import', { method: 'POST', body: a.title ? { url: a.url, title: a.title } : { url: a.url } });
    case 'update':
      return api<KnowledgeDocument>(`/api/knowledge/${a.id}`, { method: 'PUT', body: { title: a.title, content: a.content } });
    case 'refetch':
      return api<KnowledgeDocument>(`/api/knowledge/${a.id}/refetch`, { method: 'POST' });
    case 'delete':
      return api<void>(`/api/knowledge/${a.id}`, { method: 'DELETE' });
  }
}

export function useKnowledgeAction() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: run, onSuccess: () => qc.invalidateQueries({ queryKey: keys.knowledge.all }) });
}
