import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { permissionsOf } from '../../../shared/permissions';
import type { LoginResponse, SessionUser } from '../../../shared/schemas/auth';
import type { Clock } from '../../clock';
import { HttpError, rateLimited } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { LimitStore } from '../../http/rate-limit';
import type { UnitOfWork } from '../../storage/unit-of-work';
import type { AuthRepo, UserRow } from './auth.repo';
import { dummyHash, hashPassword, verifyPassword } from './passwords';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
/** Per account, whatever the source address: failures before each attempt has to wait 1 s, 2 s, 4 s … */
export const ACCOUNT_FREE_FAILURES = 5;
export const ACCOUNT_MAX_DELAY_MS = 15 * 60 * 1000;
/** Per source address, across all emails. */
export const ADDRESS_FAILURE_LIMIT = 20;
export const ADDRESS_FAILURE_WINDOW_MS = 15 * 60 * 1000;

export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The CSRF token is derived from the session token, so it needs no storage and dies with it. */
export function csrfTokenFor(token: string): string {
  return createHmac('sha256', token).update('bob-csrf-v1').digest('base64url');
}

export function csrfMatches(expectedToken: string, presented: string): boolean {
  const expected = Buffer.from(expectedToken);
  const actual = Buffer.from(presented);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export function sessionUser(u: UserRow): SessionUser {
  return { id: u.id, email: u.email, name: u.name, role: u.role, tenant_id: u.tenant_id, permissions: permissionsOf(u.role) };
}

export type AuthService = ReturnType<typeof createAuthService>;

export function createAuthService(deps: {
  /** Reads, and the token's last-used stamp on every staff request. */
  repo: AuthRepo;
  /** Sign-ins, sign-outs, password changes and the purge: each with its audit record in one transaction. */
  uow: UnitOfWork<{ auth: AuthRepo }>;
  clock: Clock;
  limitStore: LimitStore;
}) {
  const { repo, uow, clock } = deps;
  // Unknown emails are throttled like real ones, so a 429 does not tell which accounts exist.
  const accounts = deps.limitStore.backoff('login.account', { free: ACCOUNT_FREE_FAILURES, baseMs: 1000, maxMs: ACCOUNT_MAX_DELAY_MS, forgetMs: 60 * 60 * 1000 });
  const addresses = deps.limitStore.limiter('login.address', ADDRESS_FAILURE_LIMIT, ADDRESS_FAILURE_WINDOW_MS);

  /** A new session for a user whose credentials were just proven (a password, or a one-time invite). */
  async function openSession(user: UserRow, input: { ip: string; userAgent?: string }): Promise<LoginResponse> {
    const token = randomBytes(32).toString('base64url');
    const now = clock.now();
    const expiresAt = new Date(now.getTime() + SESSION_TTL_MS).toISOString();
    await uow.run(async ({ auth, audit }) => {
      await auth.insertToken({
        id: randomUUID(),
        token_hash: hashToken(token),
        user_id: user.id,
        tenant_id: user.tenant_id,
        created_at: now.toISOString(),
        expires_at: expiresAt,
        ip: input.ip,
        user_agent: input.userAgent?.slice(0, 300) ?? null,
      });
      audit({ tenantId: user.tenant_id, actorId: user.id, actorEmail: user.email, action: 'auth.login', targetType: 'user', targetId: user.id, ip: input.ip });
    });
    return { token, csrf_token: csrfTokenFor(token), expires_at: expiresAt, user: sessionUser(user) };
  }

  return {
    async login(input: { email: string; password: string; ip: string; userAgent?: string }): Promise<LoginResponse> {
      const email = input.email.trim().toLowerCase();
      const wait = Math.max(await addresses.retryAfter(input.ip), await accounts.retryAfter(email));
      if (wait > 0) throw rateLimited(wait, 'Too many failed sign-in attempts. Try again later.');
      // Counted as failures before the password is checked, so parallel guesses cannot all slip
      // past the checks above while the hashes are computed; a success takes them back. A hit
      // refused here is a guess that passed the check together with others (on another instance).
      const refused = await addresses.hit(input.ip);
      if (refused > 0) throw rateLimited(refused, 'Too many failed sign-in attempts. Try again later.');
      await accounts.fail(email);

      const user = await repo.userByEmail(email);
      const usable = user && user.password_hash && !user.disabled_at;
      // Verify against a dummy hash for unknown users so both failures cost the same time.
      const ok = await verifyPassword(input.password, usable ? user.password_hash! : await dummyHash());
      if (!usable || !ok) throw new HttpError(401, 'invalid_credentials', 'The email or password is not correct');
      // The address keeps its other failures: signing in to one's own account must not clear
      // the count of guesses at everyone else's.
      await addresses.forgive(input.ip);
      await accounts.reset(email);
      return openSession(user, input);
    },

    openSession,

    /** Resolves a presented token to its session, or null when unknown, expired or revoked. */
    async authenticate(token: string, via: AuthContext['via']): Promise<AuthContext | null> {
      const tokenHash = hashToken(token);
      const row = await repo.tokenByHash(tokenHash);
      const now = clock.now();
      if (!row || row.revoked_at || new Date(row.expires_at) <= now) return null;
      const user = await repo.userById(row.user_id);
      if (!user || user.disabled_at) return null;
      // Bookkeeping of one row, on every staff request: a statement of its own, not a unit of work.
      await repo.touchToken(row.id, now.toISOString());
      return {
        userId: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        tenantId: user.tenant_id,
        permissions: permissionsOf(user.role),
        tokenId: row.id,
        csrfToken: csrfTokenFor(token),
        via,
        expiresAt: row.expires_at,
      };
    },

    logout: (a: AuthContext, ip: string): Promise<void> =>
      uow.run(async ({ auth, audit }) => {
        await auth.revokeToken(a.tokenId, clock.now().toISOString());
        audit({
          tenantId: a.tenantId,
          actorId: a.userId,
          actorEmail: a.email,
          action: 'auth.logout',
          targetType: 'user',
          targetId: a.userId,
          ip,
        });
      }),

    /** Changes the caller's password and signs out every other session of theirs. */
    async changePassword(a: AuthContext, current: string, next: string, ip: string): Promise<void> {
      const user = await repo.userById(a.userId);
      if (!user?.password_hash || !(await verifyPassword(current, user.password_hash))) {
        throw new HttpError(401, 'invalid_credentials', 'The current password is not correct');
      }
      // scrypt before the unit of work: a run awaits only its storage.
      const hash = await hashPassword(next);
      const at = clock.now().toISOString();
      await uow.run(async ({ auth, audit }) => {
        await auth.setPassword(user.id, hash, at);
        await auth.revokeOtherTokens(user.id, a.tokenId, at);
        audit({ tenantId: a.tenantId, actorId: a.userId, actorEmail: a.email, action: 'auth.password_changed', targetType: 'user', targetId: a.userId, ip });
      });
    },

    purgeExpiredTokens: (): Promise<number> => uow.run(({ auth }) => auth.purgeExpired(clock.now().toISOString())),
  };
}
