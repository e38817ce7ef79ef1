import { randomUUID } from 'node:crypto';
import type { WidgetKey } from '../../../shared/schemas/widget-keys';
import type { Clock } from '../../clock';
import { conflict, notFound } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { Audit } from '../audit/audit.repo';
import type { UnitOfWork } from '../../storage/unit-of-work';
import { newIdentitySecret, newPublishableKey, type WidgetKeysRepo, type WidgetKeyRow } from './widget-keys.repo';

export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

export const toWidgetKey = (r: WidgetKeyRow): WidgetKey => ({
  id: r.id,
  key: r.key,
  label: r.label,
  mode: r.mode,
  allowed_origins: r.allowed_origins,
  status: r.status,
  created_at: r.created_at,
  last_used_at: r.last_used_at,
  identity_secret_hint: r.identity_secret ? `…${r.identity_secret.slice(-4)}` : null,
  identity_required: !!r.identity_required,
});


export type WidgetKeysService = ReturnType<typeof createWidgetKeysService>;

export function createWidgetKeysService(deps: { repo: WidgetKeysRepo; uow: UnitOfWork<{ keys: WidgetKeysRepo }>; clock: Clock }) {
  const { repo, uow, clock } = deps;
  const find = async (keys: WidgetKeysRepo, tenantId: string, id: string) => {
    const row = await keys.byId(tenantId, id);
    if (!row) throw notFound('Widget key');
    return toWidgetKey(row);
  };
  const assertActive = (k: WidgetKey) => {
    if (k.status === 'revoked') throw conflict('widget_key_revoked', 'This key is revoked; create a new one');
  };
  const record = (audit: Audit, auth: AuthContext, ip: string, tenantId: string, action: string, id: string, before: unknown, after: unknown) =>
    audit({ tenantId, actorId: auth.userId, actorEmail: auth.email, action, targetType: 'widget_key', targetId: id, before, after, ip });
  // The audit log names keys by id and label; the key string itself stays out of it.
  const summary = (k: WidgetKey) => ({ label: k.label, mode: k.mode, allowed_origins: k.allowed_origins, status: k.status, identity_required: k.identity_required });

  /** A new key, in the caller's unit of work. */
  async function insert({ keys, audit }: { keys: WidgetKeysRepo; audit: Audit }, auth: AuthContext, ip: string, tenantId: string, input: { label: string; mode: 'live' | 'test'; allowed_origins: string[] }): Promise<WidgetKey> {
    // The schema has checked and normalised the origins.
    const id = randomUUID();
    await keys.insert({ id, tenant_id: tenantId, key: newPublishableKey(input.mode), label: input.label, mode: input.mode, allowed_origins: input.allowed_origins, at: clock.now().toISOString() });
    const created = await find(keys, tenantId, id);
    record(audit, auth, ip, tenantId, 'widget_key.created', id, null, summary(created));
    return created;
  }

  return {
    list: async (tenantId: string) => (await repo.forTenant(tenantId)).map(toWidgetKey),
    create: (auth: AuthContext, ip: string, tenantId: string, input: { label: string; mode: 'live' | 'test'; allowed_origins: string[] }): Promise<WidgetKey> =>
      uow.run((tx) => insert(tx, auth, ip, tenantId, input)),

    update: (auth: AuthContext, ip: string, tenantId: string, id: string, patch: { label?: string; allowed_origins?: string[]; identity_required?: boolean }): Promise<WidgetKey> =>
      uow.run(async ({ keys, audit }) => {
        const before = await find(keys, tenantId, id);
        assertActive(before);
        if (patch.identity_required && !before.identity_secret_hint) {
          throw conflict('identity_secret_missing', 'Generate the identity secret first: the site signs visitors\' tokens with it');
        }
        await keys.update(tenantId, id, patch.label ?? before.label, patch.allowed_origins ?? before.allowed_origins);
        if (patch.identity_required !== undefined) await keys.setIdentity(tenantId, id, { required: patch.identity_required });
        const after = await find(keys, tenantId, id);
        record(audit, auth, ip, tenantId, 'widget_key.updated', id, summary(before), summary(after));
        return after;
      }),

    /** A new key with the same settings; the old one keeps working for the grace period. */
    rotate: (auth: AuthContext, ip: string, tenantId: string, id: string): Promise<WidgetKey> =>
      uow.run(async ({ keys, audit }) => {
        const old = await find(keys, tenantId, id);
        assertActive(old);
        const fresh = await insert({ keys, audit }, auth, ip, tenantId, { label: old.label, mode: old.mode, allowed_origins: old.allowed_origins });
        // The site's signed tokens keep working with the new key.
        const row = (await keys.byId(tenantId, id))!;
        if (row.identity_secret) await keys.setIdentity(tenantId, fresh.id, { secret: row.identity_secret, required: !!row.identity_required });
        const until = new Date(clock.now().getTime() + ROTATION_GRACE_MS).toISOString();
        await keys.expireAt(tenantId, id, until);
        record(audit, auth, ip, tenantId, 'widget_key.rotated', id, { key_id: id }, { key_id: fresh.id, old_key_works_until: until });
        return find(keys, tenantId, fresh.id);
      }),

    /** A new identity secret, returned this once; tokens signed with the previous one are refused from now on. */
    identitySecret: (auth: AuthContext, ip: string, tenantId: string, id: string): Promise<WidgetKey & { secret: string }> =>
      uow.run(async ({ keys, audit }) => {
        const before = await find(keys, tenantId, id);
        assertActive(before);
        const secret = newIdentitySecret();
        await keys.setIdentity(tenantId, id, { secret });
        // Never the secret in the audit log: only that there is a new one.
        record(audit, auth, ip, tenantId, before.identity_secret_hint ? 'widget_key.identity_secret_rotated' : 'widget_key.identity_secret_created', id, null, { identity_required: before.identity_required });
        return { ...(await find(keys, tenantId, id)), secret };
      }),

    revoke: (auth: AuthContext, ip: string, tenantId: string, id: string): Promise<void> =>
      uow.run(async ({ keys, emit, audit }) => {
        const before = await find(keys, tenantId, id);
        if (!(await keys.revoke(tenantId, id, clock.now().toISOString()))) return;
        record(audit, auth, ip, tenantId, 'widget_key.revoked', id, summary(before), { status: 'revoked' });
        emit(tenantId, 'widget_key.revoked', { id, label: before.label });
      }),
  };
}
