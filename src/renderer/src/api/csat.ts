import { useQuery } from '@tanstack/react-query';
import type { Rating } from '../../../shared/schemas/csat';
import { api } from './client';
import { keys } from './keys';

// The visitor's rating of a conversation (issue #23).

/** Under the conversation's detail key: what refreshes its transcript refreshes its rating too. */
export const ratingKey = (sessionId: string) => [...keys.sessions.detail(sessionId), 'rating'] as const;

/** Matches every conversation's rating query (`csat.submitted` names the conversation by its external id). */
export const isRatingKey = (key: readonly unknown[]) => key[0] === keys.sessions.all[0] && key[1] === 'detail' && key[3] === 'rating';

export const useSessionRating = (sessionId: string) =>
  useQuery({
    queryKey: ratingKey(sessionId),
    queryFn: () => api<{ rating: Rating | null }>(`/api/chat/sessions/${encodeURIComponent(sessionId)}/rating`),
  });
