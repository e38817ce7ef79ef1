import { notFound } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { TenantRow, TenantsRepo } from './tenants.repo';

/**
 * The tenant a staff request acts on: the caller's own, or, for a platform admin, the one named
 * by `business_id`. Anyone else naming another tenant gets the same 404 as a missing one.
 */
export function scopeTenant(tenants: TenantsRepo, auth: AuthContext, businessId?: string): TenantRow {
  const own = tenants.byId(auth.tenantId);
  if (!own) throw notFound('Tenant');
  if (!businessId || businessId === own.slug) return own;
  const other = auth.role === 'admin' ? tenants.bySlug(businessId) : undefined;
  if (!other) throw notFound('Business');
  return other;
}
