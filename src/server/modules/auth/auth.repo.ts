import type { Db } from '../../db/client';
import type { Role } from '../../../shared/permissions';

export interface UserRow {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  role: Role;
  password_hash: string | null;
  disabled_at: string | null;
}

export interface TokenRow {
  id: string;
  user_id: string;
  tenant_id: string;
  expires_at: string;
  revoked_at: string | null;
}

export type AuthRepo = ReturnType<typeof createAuthRepo>;

export function createAuthRepo(db: Db) {
  const byEmail = db.prepare<[string], UserRow>(
    'SELECT id, tenant_id, email, name, role, password_hash, disabled_at FROM users WHERE email = ?',
  );
  const byId = db.prepare<[string], UserRow>(
    'SELECT id, tenant_id, email, name, role, password_hash, disabled_at FROM users WHERE id = ?',
  );
  const insertToken = db.prepare(
    `INSERT INTO auth_tokens (id, token_hash, user_id, tenant_id, created_at, expires_at, ip, user_agent)
     VALUES (@id, @token_hash, @user_id, @tenant_id, @created_at, @expires_at, @ip, @user_agent)`,
  );
  const tokenByHash = db.prepare<[string], TokenRow>(
    'SELECT id, user_id, tenant_id, expires_at, revoked_at FROM auth_tokens WHERE token_hash = ?',
  );
  const tokenHashes = db.prepare<[], string>('SELECT token_hash FROM auth_tokens ORDER BY rowid').pluck();
  const touchToken = db.prepare('UPDATE auth_tokens SET last_used_at = ? WHERE id = ?');
  const revokeToken = db.prepare('UPDATE auth_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL');
  const setPassword = db.prepare('UPDATE users SET password_hash = ?, updated_at = ? WHERE id = ?');
  const revokeOthers = db.prepare('UPDATE auth_tokens SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL');
  const purgeExpired = db.prepare('DELETE FROM auth_tokens WHERE expires_at < ?');

  return {
    userByEmail: (email: string) => byEmail.get(email),
    userById: (id: string) => byId.get(id),
    insertToken: (row: {
      id: string;
      token_hash: string;
      user_id: string;
      tenant_id: string;
      created_at: string;
      expires_at: string;
      ip: string | null;
      user_agent: string | null;
    }) => insertToken.run(row),
    tokenByHash: (hash: string) => tokenByHash.get(hash),
    /** What is stored of every session token (its hash): for inspection (tests). */
    tokenHashes: () => tokenHashes.all(),
    touchToken: (id: string, at: string) => touchToken.run(at, id),
    revokeToken: (id: string, at: string) => revokeToken.run(at, id).changes > 0,
    setPassword: (userId: string, hash: string, at: string) => setPassword.run(hash, at, userId),
    revokeOtherTokens: (userId: string, keepTokenId: string, at: string) => revokeOthers.run(at, userId, keepTokenId).changes,
    purgeExpired: (before: string) => purgeExpired.run(before).changes,
  };
}
