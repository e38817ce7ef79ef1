import type { Selectable } from 'kysely';
import type { Role } from '../../../shared/permissions';
import type { UserInvitesTable, UsersTable } from '../../storage/schema';
import type { Storage } from '../../storage/sqlite';

/** A user as the team page sees them. */
export type MemberRow = Omit<Selectable<UsersTable>, 'updated_at'>;

export type InviteRow = Omit<Selectable<UserInvitesTable>, 'created_at'>;

const MEMBER = ['id', 'tenant_id', 'email', 'name', 'role', 'password_hash', 'disabled_at', 'created_at'] as const;
const INVITE = ['token_hash', 'user_id', 'tenant_id', 'expires_at', 'used_at'] as const;

export type TeamRepo = ReturnType<typeof createTeamRepo>;

export function createTeamRepo(db: Storage) {
  const members = (tenantId: string) => db.selectFrom('users').select(MEMBER).where('tenant_id', '=', tenantId);
  const count = async (q: ReturnType<typeof members>) => (await q.clearSelect().select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;

  return {
    list: (tenantId: string): Promise<MemberRow[]> => members(tenantId).orderBy('created_at').orderBy('email').execute(),
    byId: (tenantId: string, id: string): Promise<MemberRow | undefined> => members(tenantId).where('id', '=', id).executeTakeFirst(),
    seatsUsed: (tenantId: string) => count(members(tenantId).where('disabled_at', 'is', null)),
    /** Active owners (or platform admins) other than `exceptId`: a tenant must keep one. */
    otherOwners: (tenantId: string, exceptId: string) =>
      count(members(tenantId).where('role', 'in', ['owner', 'admin']).where('disabled_at', 'is', null).where('id', '<>', exceptId)),
    update: async (m: { tenant_id: string; id: string; name: string; role: Role; disabled_at: string | null; at: string }) => {
      await db
        .updateTable('users')
        .set({ name: m.name, role: m.role, disabled_at: m.disabled_at, updated_at: m.at })
        .where('tenant_id', '=', m.tenant_id)
        .where('id', '=', m.id)
        .execute();
    },
    revokeTokens: async (userId: string, at: string) => {
      await db.updateTable('auth_tokens').set({ revoked_at: at }).where('user_id', '=', userId).where('revoked_at', 'is', null).execute();
    },
    insertInvite: async (tokenHash: string, userId: string, tenantId: string, at: string, expiresAt: string) => {
      await db.insertInto('user_invites').values({ token_hash: tokenHash, user_id: userId, tenant_id: tenantId, created_at: at, expires_at: expiresAt }).execute();
    },
    invite: (tokenHash: string): Promise<InviteRow | undefined> => db.selectFrom('user_invites').select(INVITE).where('token_hash', '=', tokenHash).executeTakeFirst(),
    /** Every invite as stored: for inspection (tests). */
    invites: (): Promise<InviteRow[]> => db.selectFrom('user_invites').select(INVITE).orderBy('created_at').orderBy('token_hash').execute(),
    /** Marks the invite used and sets the password; false if it was used meanwhile. */
    async acceptInvite(tokenHash: string, userId: string, passwordHash: string, at: string): Promise<boolean> {
      const used = await db.updateTable('user_invites').set({ used_at: at }).where('token_hash', '=', tokenHash).where('used_at', 'is', null).executeTakeFirst();
      if (used.numUpdatedRows === 0n) return false;
      await db.updateTable('users').set({ password_hash: passwordHash, updated_at: at }).where('id', '=', userId).execute();
      return true;
    },
  };
}
