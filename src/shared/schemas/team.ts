import { z } from 'zod';
import { ROLES } from '../permissions';
import { isoDateTime, uuid } from './common';

export const TeamMember = z
  .object({
    id: uuid,
    email: z.string(),
    name: z.string(),
    role: z.enum(ROLES),
    status: z.enum(['active', 'invited', 'disabled']),
    created_at: isoDateTime,
  })
  .meta({ id: 'TeamMember' });
export type TeamMember = z.infer<typeof TeamMember>;

export const TeamMemberCreate = z
  .object({
    email: z.email().max(254),
    name: z.string().trim().min(1).max(80),
    role: z.enum(ROLES),
    password: z.string().min(10, 'use at least 10 characters').max(1024).optional().describe('omit to get a one-time invite link'),
  })
  .meta({ id: 'TeamMemberCreate' });

export const TeamMemberPatch = z
  .object({ name: z.string().trim().min(1).max(80).optional(), role: z.enum(ROLES).optional(), disabled: z.boolean().optional() })
  .meta({ id: 'TeamMemberPatch' });

export const TeamMemberCreated = TeamMember.extend({ invite_url: z.string().nullable().describe('shown once: send it to the new member') }).meta({ id: 'TeamMemberCreated' });

export const TeamList = z
  .object({ data: z.array(TeamMember), seats: z.object({ used: z.number().int(), limit: z.number().int().nullable() }), next_cursor: z.null() })
  .meta({ id: 'TeamList' });

export const AcceptInvite = z
  .object({ token: z.string().min(20).max(200), password: z.string().min(10, 'use at least 10 characters').max(1024) })
  .meta({ id: 'AcceptInvite' });

export const InviteInfo = z
  .object({ email: z.string(), name: z.string(), expires_at: isoDateTime, business_name: z.string().describe('the business the invitation is to') })
  .meta({ id: 'InviteInfo' });
