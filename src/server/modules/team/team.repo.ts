import type { Db } from '../../db/client';
import type { Role } from '../../../shared/permissions';
import type { UserRow } from '../auth/auth.repo';

/** A user as the team page sees them. */
export interface MemberRow extends UserRow {
  created_at: string;
}

export interface InviteRow {
  token_hash: string;
  user_id: string;
  tenant_id: string;
  expires_at: string;
  used_at: string | null;
}

export type TeamRepo = ReturnType<typeof createTeamRepo>;

export function createTeamRepo(db: Db) {
  const list = db.prepare<[string], MemberRow>(
    'SELECT id, tenant_id, email, name, role, password_hash, disabled_at, created_at FROM users WHERE tenant_id = ? ORDER BY created_at, email',
  );
  const byId = db.prepare<[string, string], MemberRow>(
    'SELECT id, tenant_id, email, name, role, password_hash, disabled_at, created_at FROM users WHERE tenant_id = ? AND id = ?',
  );
  const seatsUsed = db.prepare('SELECT COUNT(*) FROM users WHERE tenant_id = ? AND disabled_at IS NULL').pluck();
  const owners = db.prepare(`SELECT COUNT(*) FROM users WHERE tenant_id = ? AND role IN ('owner', 'admin') AND disabled_at IS NULL AND id <> ?`).pluck();
  const update = db.prepare('UPDATE users SET name = ?, role = ?, disabled_at = ?, updated_at = ? WHERE tenant_id = ? AND id = ?');
  const revokeTokens = db.prepare('UPDATE auth_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL');
  const insertInvite = db.prepare('INSERT INTO user_invites (token_hash, user_id, tenant_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)');
  const invite = db.prepare<[string], InviteRow>('SELECT token_hash, user_id, tenant_id, expires_at, used_at FROM user_invites WHERE token_hash = ?');
  const invites = db.prepare<[], InviteRow>('SELECT token_hash, user_id, tenant_id, expires_at, used_at FROM user_invites ORDER BY rowid');
  const useInvite = db.prepare('UPDATE user_invites SET used_at = ? WHERE token_hash = ? AND used_at IS NULL');
  const setPassword = db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?');

  return {
    list: (tenantId: string) => list.all(tenantId),
    byId: (tenantId: string, id: string) => byId.get(tenantId, id),
    seatsUsed: (tenantId: string) => seatsUsed.get(tenantId) as number,
    /** Active owners (or platform admins) other than `exceptId`: a tenant must keep one. */
    otherOwners: (tenantId: string, exceptId: string) => owners.get(tenantId, exceptId) as number,
    update: (m: { tenant_id: string; id: string; name: string; role: Role; disabled_at: string | null; at: string }) =>
      update.run(m.name, m.role, m.disabled_at, m.at, m.tenant_id, m.id),
    revokeTokens: (userId: string, at: string) => revokeTokens.run(at, userId),
    insertInvite: (tokenHash: string, userId: string, tenantId: string, at: string, expiresAt: string) => insertInvite.run(tokenHash, userId, tenantId, at, expiresAt),
    invite: (tokenHash: string) => invite.get(tokenHash),
    /** Every invite as stored: for inspection (tests). */
    invites: () => invites.all(),
    /** Marks the invite used and sets the password; false if it was used meanwhile. */
    acceptInvite(tokenHash: string, userId: string, passwordHash: string, at: string): boolean {
      if (useInvite.run(at, tokenHash).changes === 0) return false;
      setPassword.run(passwordHash, at, userId);
      return true;
    },
  };
}
