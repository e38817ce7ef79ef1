import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LoginResponse, MeResponse } from '../../../shared/schemas/auth';
import { ApiError, api, setCsrfToken } from './client';
import { keys } from './keys';

export function useMe() {
  return useQuery({
    queryKey: keys.auth.me(),
    queryFn: async () => {
      try {
        const me = await api<MeResponse>('/api/auth/me');
        setCsrfToken(me.csrf_token);
        return me;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 60_000,
    retry: false,
  });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { email: string; password: string }) => api<LoginResponse>('/api/auth/login', { method: 'POST', body }),
    onSuccess: (res) => {
      setCsrfToken(res.csrf_token);
      qc.setQueryData<MeResponse>(keys.auth.me(), { csrf_token: res.csrf_token, expires_at: res.expires_at, user: res.user });
    },
  });
}

export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api<void>('/api/auth/logout', { method: 'POST' }),
    onSettled: () => {
      setCsrfToken(null);
      qc.setQueryData(keys.auth.me(), null);
    },
  });
}
