import { z } from 'zod';
import { PERMISSIONS, ROLES } from '../permissions';
import { isoDateTime, uuid } from './common';

export const LoginRequest = z
  .object({
    email: z.string().trim().min(3).max(254),
    password: z.string().min(1).max(1024),
  })
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.infer<typeof LoginRequest>;

export const SessionUser = z
  .object({
    id: uuid,
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    tenant_id: uuid,
    permissions: z.array(z.enum(PERMISSIONS)),
  })
  .meta({ id: 'SessionUser' });
export type SessionUser = z.infer<typeof SessionUser>;

export const LoginResponse = z
  .object({
    token: z.string().describe('Bearer token; shown once, stored by the server only as a hash'),
    csrf_token: z.string().describe('Send as X-CSRF-Token on cookie-authenticated writes'),
    expires_at: isoDateTime,
    user: SessionUser,
  })
  .meta({ id: 'LoginResponse' });
export type LoginResponse = z.infer<typeof LoginResponse>;

export const MeResponse = z
  .object({ csrf_token: z.string(), expires_at: isoDateTime, user: SessionUser })
  .meta({ id: 'MeResponse' });
export type MeResponse = z.infer<typeof MeResponse>;

export const ChangePasswordRequest = z
  .object({
    current_password: z.string().min(1).max(1024),
    new_password: z.string().min(10, 'use at least 10 characters').max(1024),
  })
  .refine((v) => v.current_password !== v.new_password, { message: 'choose a password different from the current one', path: ['new_password'] })
  .meta({ id: 'ChangePasswordRequest' });
