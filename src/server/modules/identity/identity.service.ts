import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify } from 'jose';
import { VISITOR_LIMITS, type VisitorProfile } from '../../../shared/schemas/identity';
import type { Clock } from '../../clock';
import { HttpError } from '../../errors';
import type { WidgetContext } from '../../http/context';
import type { UnitOfWork } from '../../storage/unit-of-work';
import type { WidgetKeysRepo } from '../widget-keys/widget-keys.repo';
import type { IdentityRepo, VisitorProfileRow } from './identity.repo';

type Attributes = Record<string, string | number | boolean | null>;

const invalid = (message: string) => new HttpError(401, 'invalid_identity', message);

/** Why a token was refused, in words a developer can act on (never the token itself). */
function refusal(err: unknown): HttpError {
  if (err instanceof joseErrors.JWTExpired) return invalid('The identity token has expired (exp is in the past): sign a fresh one on your server');
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return invalid('The identity token must be signed with HS256 (alg: none and other algorithms are refused)');
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return invalid('The identity token\'s signature does not match this widget key\'s identity secret');
  if (err instanceof joseErrors.JWTClaimValidationFailed) return invalid(`The identity token's claims are not valid: ${err.claim} (sub and exp are required)`);
  return invalid('The identity token is not a valid JWT signed with HS256');
}

const text = (v: unknown, max: number) => (typeof v === 'string' && v.trim() ? v.trim().slice(0, max) : null);

export type IdentityService = ReturnType<typeof createIdentityService>;

/** The site's JavaScript API on the server (issue #23): what the site says of its visitor, and identities it proves. */
export function createIdentityService(deps: { repo: IdentityRepo; keys: WidgetKeysRepo; uow: UnitOfWork<{ identity: IdentityRepo }>; clock: Clock }) {
  const { repo, uow, clock } = deps;
  const now = () => clock.now().toISOString();

  return {
    /** Bob.setVisitor: stored unverified; attributes merge (null removes one). */
    async setVisitor(tenantId: string, externalId: string, input: { name?: string | null; email?: string | null; attributes?: Attributes }) {
      return uow.run(async ({ identity }) => {
        const before = await identity.profile(tenantId, externalId);
        const set: Parameters<IdentityRepo['upsert']>[2] = {};
        if (input.name !== undefined) set.name = input.name || null;
        if (input.email !== undefined) set.email = input.email || null;
        if (input.attributes) {
          const merged: Attributes = { ...(before ? (JSON.parse(before.attributes) as Attributes) : {}) };
          for (const [k, v] of Object.entries(input.attributes)) {
            if (v === null) delete merged[k];
            else merged[k] = v;
          }
          if (Object.keys(merged).length > VISITOR_LIMITS.attributes) {
            throw new HttpError(400, 'too_many_attributes', `A visitor has at most ${VISITOR_LIMITS.attributes} attributes (set one to null to remove it)`);
          }
          set.attributes = JSON.stringify(merged);
        }
        await identity.upsert(tenantId, externalId, set, now());
        return { session_id: externalId, verified: false as const };
      });
    },

    /**
     * Bob.identify: the token is verified with the key's identity secret (HS256 only, sub and exp
     * required); the conversation is then linked to the identity. The identity's latest open
     * conversation elsewhere (another device) is the one to continue.
     */
    async identify(w: WidgetContext, externalId: string, token: string) {
      const key = await deps.keys.byId(w.tenantId, w.keyId);
      if (!key?.identity_secret) throw new HttpError(409, 'identity_not_configured', 'Identity verification is not set up for this widget key: generate its identity secret in Mission Control → Widget');
      let claims: { sub?: unknown; name?: unknown; email?: unknown };
      try {
        ({ payload: claims } = await jwtVerify(token, new TextEncoder().encode(key.identity_secret), { algorithms: ['HS256'], requiredClaims: ['sub', 'exp'], currentDate: clock.now() }));
      } catch (err) {
        throw refusal(err);
      }
      const sub = text(claims.sub, 200);
      if (!sub) throw invalid('The identity token\'s sub must be a non-empty string (your user\'s id)');
      const name = text(claims.name, VISITOR_LIMITS.name);
      const email = text(claims.email, VISITOR_LIMITS.email);
      return uow.run(async ({ identity }) => {
        const at = now();
        const verified = { identity_sub: sub, verified_name: name, verified_email: email, verified_at: at };
        const current = await identity.profile(w.tenantId, externalId);
        // A conversation of someone else (a shared computer) is never handed to this identity.
        const foreign = !!current?.identity_sub && current.identity_sub !== sub;
        const open = (await identity.conversations(w.tenantId, sub)).find((c) => c.status !== 'closed');
        const sessionId = open?.external_id ?? (foreign ? randomUUID() : externalId);
        if (!foreign) await identity.upsert(w.tenantId, externalId, verified, at);
        if (sessionId !== externalId) await identity.upsert(w.tenantId, sessionId, verified, at);
        return { session_id: sessionId, verified: true as const, name, email };
      });
    },

    /** The chat gate for keys with identity_required: 403 until the conversation is verified. */
    async check(w: WidgetContext, externalId: string) {
      if (!w.identityRequired) return;
      if ((await repo.profile(w.tenantId, externalId))?.identity_sub) return;
      throw new HttpError(403, 'identity_required', 'This site lets only signed-in visitors chat: call Bob.identify(token) with a token signed by the site\'s server first (POST /api/widget/identify)');
    },

    /** A verified visitor's conversations, from any device. */
    async conversations(tenantId: string, externalId: string) {
      const sub = (await repo.profile(tenantId, externalId))?.identity_sub;
      if (!sub) throw new HttpError(403, 'identity_required', 'Only a visitor verified through Bob.identify(token) can list their conversations');
      const rows = await repo.conversations(tenantId, sub);
      return { data: rows.map((r) => ({ session_id: r.external_id, status: r.status, last_message: r.last_message, last_message_at: r.last_message_at })) };
    },

    /** For staff: who the visitor of this conversation is. */
    async profileOf(tenantId: string, externalId: string): Promise<VisitorProfile> {
      return toProfile(await repo.profile(tenantId, externalId));
    },
  };
}

export function toProfile(p: VisitorProfileRow | undefined): VisitorProfile {
  if (!p) return { name: null, email: null, attributes: {}, verified: false, identity: null };
  return {
    name: p.name,
    email: p.email,
    attributes: JSON.parse(p.attributes) as Attributes,
    verified: !!p.identity_sub,
    identity: p.identity_sub ? { sub: p.identity_sub, name: p.verified_name, email: p.verified_email, verified_at: p.verified_at! } : null,
  };
}
