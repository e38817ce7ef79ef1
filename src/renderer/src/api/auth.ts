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
    mutationFn: ({ remember: _r, ...body }: { email: string; password: string; remember?: boolean }) => api<LoginResponse>('/api/auth/login', { method: 'POST', body }),
    onSuccess: (res, vars) => {
      // Desktop: the token goes to the OS keychain through the write-only bridge.
      if (vars.remember && window.bob) void window.bob.rememberSession(res.token);
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
      void window.bob?.forgetSession();
      setCsrfToken(null);
      qc.setQueryData(keys.auth.me(), null);
    },
  });
}
