import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from './client';
import { keys } from './keys';
import type { ChatMessage } from './types';

/** The files Bob takes in a conversation (the server sniffs the bytes; this only filters the picker). */
export const ATTACHMENT_ACCEPT = 'image/png,image/jpeg,image/gif,image/webp,application/pdf';
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** A person sends a file in a conversation (multipart field `file`); the transcript refreshes. */
export function useSendAttachment() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ session_id, file }: { session_id: string; file: File }) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return api<ChatMessage>(`/api/chat/sessions/${encodeURIComponent(session_id)}/attachments`, { method: 'POST', form });
    },
    onSettled: () => qc.invalidateQueries({ queryKey: keys.sessions.all }),
  });
}

/** A file's address for signed-in staff (same origin, the session cookie). */
export const attachmentUrl = (id: string) => `/api/attachments/${encodeURIComponent(id)}`;
