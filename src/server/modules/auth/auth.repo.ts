import type { Insertable, Selectable } from 'kysely';
import type { AuthTokensTable, UsersTable } from '../../storage/schema';
import { dialectOf } from '../../storage/dialect';
import type { Storage } from '../../storage/sqlite';

/** A user as signing in sees them. */
export type UserRow = Pick<Selectable<UsersTable>, 'id' | 'tenant_id' | 'email' | 'name' | 'role' | 'password_hash' | 'disabled_at'>;

export type TokenRow = Pick<Selectable<AuthTokensTable>, 'id' | 'user_id' | 'tenant_id' | 'expires_at' | 'revoked_at'>;

export type AuthRepo = ReturnType<typeof createAuthRepo>;

/** Staff accounts as sign-in sees them, and their session tokens (stored as hashes). */
export function createAuthRepo(db: Storage) {
  const users = () => db.selectFrom('users').select(['id', 'tenant_id', 'email', 'name', 'role', 'password_hash', 'disabled_at']);
  const activeTokens = () => db.updateTable('auth_tokens').where('revoked_at', 'is', null);

  return {
    /** The email column compares case-insensitively (COLLATE NOCASE). */
    userByEmail: (email: string): Promise<UserRow | undefined> => users().where(dialectOf(db).equalsIgnoringCase('email', email)).executeTakeFirst(),
    userById: (id: string): Promise<UserRow | undefined> => users().where('id', '=', id).executeTakeFirst(),
    insertToken: async (row: Omit<Insertable<AuthTokensTable>, 'revoked_at' | 'last_used_at'>) => {
      await db.insertInto('auth_tokens').values(row).execute();
    },
    tokenByHash: (hash: string): Promise<TokenRow | undefined> =>
      db.selectFrom('auth_tokens').select(['id', 'user_id', 'tenant_id', 'expires_at', 'revoked_at']).where('token_hash', '=', hash).executeTakeFirst(),
    /** What is stored of every session token (its hash), in the order created: for inspection (tests). */
    tokenHashes: async () => (await db.selectFrom('auth_tokens').select('token_hash').orderBy('created_at').orderBy('id').execute()).map((r) => r.token_hash),
    touchToken: async (id: string, at: string) => {
      await db.updateTable('auth_tokens').set({ last_used_at: at }).where('id', '=', id).execute();
    },
    revokeToken: async (id: string, at: string) => {
      const r = await activeTokens().set({ revoked_at: at }).where('id', '=', id).executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    setPassword: async (userId: string, hash: string, at: string) => {
      await db.updateTable('users').set({ password_hash: hash, updated_at: at }).where('id', '=', userId).execute();
    },
    revokeOtherTokens: async (userId: string, keepTokenId: string, at: string) => {
      const r = await activeTokens().set({ revoked_at: at }).where('user_id', '=', userId).where('id', '<>', keepTokenId).executeTakeFirst();
      return Number(r.numUpdatedRows);
    },
    purgeExpired: async (before: string) => {
      const r = await db.deleteFrom('auth_tokens').where('expires_at', '<', before).executeTakeFirst();
      return Number(r.numDeletedRows);
    },
  };
}
