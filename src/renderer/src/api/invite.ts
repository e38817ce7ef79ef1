import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LoginResponse, MeResponse } from '../../../shared/schemas/auth';
import { api, setCsrfToken } from './client';
import { keys } from './keys';

/** The last email that signed in or accepted an invitation here: the login form starts with it. */
export const LAST_EMAIL = 'bob.email';

export const useInviteInfo = (token: string) =>
  useQuery({
    queryKey: ['invite', token],
    queryFn: () => api<{ email: string; name: string; business_name: string }>(`/api/auth/invite?token=${encodeURIComponent(token)}`),
    retry: false,
  });

/** Sets the password and signs in with the session the server returns (as a login does). */
export function useAcceptInvite() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { token: string; password: string }) => api<LoginResponse>('/api/auth/accept-invite', { method: 'POST', body }),
    onSuccess: (res) => {
      localStorage.setItem(LAST_EMAIL, res.user.email);
      setCsrfToken(res.csrf_token);
      qc.setQueryData<MeResponse>(keys.auth.me(), { csrf_token: res.csrf_token, expires_at: res.expires_at, user: res.user });
    },
  });
}
