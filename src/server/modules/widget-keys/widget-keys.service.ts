import { randomUUID } from 'node:crypto';
import type { WidgetKey } from '../../../shared/schemas/widget-keys';
import type { Clock } from '../../clock';
import { conflict, notFound } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { AuditRepo } from '../audit/audit.repo';
import type { EventBus } from '../events/events.bus';
import { newPublishableKey, type WidgetKeysRepo, type WidgetKeyRow } from './widget-keys.repo';

export const ROTATION_GRACE_MS = 24 * 60 * 60 * 1000;

export const toWidgetKey = (r: WidgetKeyRow): WidgetKey => ({
  id: r.id,
  key: r.key,
  label: r.label,
  mode: r.mode,
  allowed_origins: JSON.parse(r.allowed_origins) as string[],
  status: r.status,
  created_at: r.created_at,
  last_used_at: r.last_used_at,
});


export type WidgetKeysService = ReturnType<typeof createWidgetKeysService>;

export function createWidgetKeysService(deps: { repo: WidgetKeysRepo; bus: EventBus; audit: AuditRepo; clock: Clock }) {
  const { repo, bus, audit, clock } = deps;
  const find = (tenantId: string, id: string) => {
    const row = repo.byId(tenantId, id);
    if (!row) throw notFound('Widget key');
    return row;
  };
  const record = (auth: AuthContext, ip: string, tenantId: string, action: string, id: string, before: unknown, after: unknown) =>
    audit.record({ tenantId, actorId: auth.userId, actorEmail: auth.email, action, targetType: 'widget_key', targetId: id, before, after, ip });
  // The audit log names keys by id and label; the key string itself stays out of it.
  const summary = (k: WidgetKey) => ({ label: k.label, mode: k.mode, allowed_origins: k.allowed_origins, status: k.status });

  function create(auth: AuthContext, ip: string, tenantId: string, input: { label: string; mode: 'live' | 'test'; allowed_origins: string[] }): WidgetKey {
    // The schema has checked and normalised the origins.
    const origins = input.allowed_origins;
    return bus.transaction(() => {
      const id = randomUUID();
      repo.insert({ id, tenant_id: tenantId, key: newPublishableKey(input.mode), label: input.label, mode: input.mode, allowed_origins: origins, at: clock.now().toISOString() });
      const created = toWidgetKey(find(tenantId, id));
      record(auth, ip, tenantId, 'widget_key.created', id, null, summary(created));
      return created;
    });
  }

  return {
    list: (tenantId: string) => repo.forTenant(tenantId).map(toWidgetKey),
    create,

    update(auth: AuthContext, ip: string, tenantId: string, id: string, patch: { label?: string; allowed_origins?: string[] }): WidgetKey {
      const before = toWidgetKey(find(tenantId, id));
      if (before.status === 'revoked') throw conflict('widget_key_revoked', 'This key is revoked; create a new one');
      const origins = patch.allowed_origins ?? before.allowed_origins;
      return bus.transaction(() => {
        repo.update(tenantId, id, patch.label ?? before.label, origins);
        const after = toWidgetKey(find(tenantId, id));
        record(auth, ip, tenantId, 'widget_key.updated', id, summary(before), summary(after));
        return after;
      });
    },

    /** A new key with the same settings; the old one keeps working for the grace period. */
    rotate(auth: AuthContext, ip: string, tenantId: string, id: string): WidgetKey {
      const old = toWidgetKey(find(tenantId, id));
      if (old.status === 'revoked') throw conflict('widget_key_revoked', 'This key is revoked; create a new one');
      return bus.transaction(() => {
        const fresh = create(auth, ip, tenantId, { label: old.label, mode: old.mode, allowed_origins: old.allowed_origins });
        const until = new Date(clock.now().getTime() + ROTATION_GRACE_MS).toISOString();
        repo.expireAt(tenantId, id, until);
        record(auth, ip, tenantId, 'widget_key.rotated', id, { key_id: id }, { key_id: fresh.id, old_key_works_until: until });
        return fresh;
      });
    },

    revoke(auth: AuthContext, ip: string, tenantId: string, id: string): void {
      const before = toWidgetKey(find(tenantId, id));
      bus.transaction((emit) => {
        if (!repo.revoke(tenantId, id, clock.now().toISOString())) return;
        record(auth, ip, tenantId, 'widget_key.revoked', id, summary(before), { status: 'revoked' });
        emit(tenantId, 'widget_key.revoked', { id, label: before.label });
      });
    },
  };
}
