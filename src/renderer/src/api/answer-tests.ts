import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { AnswerTest, AnswerTestAgainst, AnswerTestInput, AnswerTestResult, AnswerTestRun, AnswerTestRunSummary, AnswerTestsFailedDetails } from '../../../shared/schemas/answer-tests';
import { api } from './client';
import { keys } from './keys';
import type { Page } from './types';

export type { AnswerTest, AnswerTestAgainst, AnswerTestInput, AnswerTestResult, AnswerTestRun, AnswerTestRunSummary };
export type FailedDetails = z.infer<typeof AnswerTestsFailedDetails>;
/** What the form sends: every field explicit (the server's defaults are the form's defaults too). */
export type AnswerTestFields = Omit<AnswerTestInput, 'language'> & { language?: 'en' | 'it' };

/** The business's answer tests (catalog.manage). */
export const useAnswerTests = (enabled = true) =>
  useQuery({ queryKey: keys.answerTests.list(), queryFn: () => api<Page<AnswerTest>>('/api/answer-tests'), enabled });

/** Run summaries, newest first; `against` narrows to one side. */
export const useAnswerTestRuns = (against: AnswerTestAgainst | 'all', limit: number, enabled = true) =>
  useQuery({
    enabled,
    queryKey: keys.answerTests.runs(against, limit),
    queryFn: () => api<Page<AnswerTestRunSummary>>(`/api/answer-tests/runs?${new URLSearchParams({ ...(against === 'all' ? {} : { against }), limit: String(limit) })}`),
  });

/** One run with every result. */
export const useAnswerTestRun = (id: string | null | undefined) =>
  useQuery({ queryKey: keys.answerTests.run(id ?? ''), queryFn: () => api<AnswerTestRun>(`/api/answer-tests/runs/${encodeURIComponent(id!)}`), enabled: !!id, staleTime: Infinity });

export function useSaveAnswerTest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, fields }: { id?: string; fields: AnswerTestFields }) =>
      id ? api<AnswerTest>(`/api/answer-tests/${encodeURIComponent(id)}`, { method: 'PUT', body: fields }) : api<AnswerTest>('/api/answer-tests', { method: 'POST', body: fields }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.answerTests.list() }),
  });
}

export function useDeleteAnswerTest() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api<undefined>(`/api/answer-tests/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSuccess: () => qc.invalidateQueries({ queryKey: keys.answerTests.list() }),
  });
}

/** Runs every test now; the run is stored and becomes the newest in the history. */
export function useRunAnswerTests() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (against: AnswerTestAgainst) => api<AnswerTestRun>('/api/answer-tests/run', { method: 'POST', body: { against } }),
    onSuccess: (run) => {
      qc.setQueryData(keys.answerTests.run(run.id), run);
      return qc.invalidateQueries({ queryKey: [...keys.answerTests.all, 'runs'] });
    },
  });
}

/** Where a transcript message opens a new test: the question filled in, and the reply it came from as reference. */
export function newTestHref(question: string, from?: { session: string; reply: string }): string {
  const q = new URLSearchParams({ q: question });
  if (from) {
    q.set('session', from.session);
    q.set('reply_id', from.reply);
  }
  return `#/tests/new?${q}`;
}
