// When nobody is there (#23): Live → Requests (visitors asking to be answered later) and
// Settings → Email (the business's SMTP server for the replies). Query keys of their own.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CallbackList, CallbackReplied, EmailSettings, EmailSettingsPut, EmailTestResult } from '../../../shared/schemas/callbacks';
import { api } from './client';

export type CallbackStatus = 'open' | 'answered';
export type Callback = z.infer<typeof CallbackList>['items'][number];
type Replied = z.infer<typeof CallbackReplied>;

export const CALLBACKS = ['callbacks'] as const;
const EMAIL = ['email-settings'] as const;

/** The requests with this status: open oldest first, answered newest first. */
export const useCallbacks = (status: CallbackStatus) =>
  useQuery({ queryKey: [...CALLBACKS, status], queryFn: async () => (await api<z.infer<typeof CallbackList>>(`/api/callbacks?status=${status}`)).items });

/** Answers one request: `emailed` says whether it also went by email. */
export function useReplyCallback() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, message }: { id: string; message: string }) => api<Replied>(`/api/callbacks/${id}/reply`, { method: 'POST', body: { message } }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: CALLBACKS }),
  });
}

export const useEmailSettings = () => useQuery({ queryKey: EMAIL, queryFn: () => api<EmailSettings>('/api/settings/email') });

export function useSaveEmailSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: z.input<typeof EmailSettingsPut>) => api<EmailSettings>('/api/settings/email', { method: 'PUT', body }),
    onSuccess: (s) => qc.setQueryData(EMAIL, s),
  });
}

export const useTestEmail = () => useMutation({ mutationFn: (to: string) => api<EmailTestResult>('/api/settings/email/test', { method: 'POST', body: { to } }) });
