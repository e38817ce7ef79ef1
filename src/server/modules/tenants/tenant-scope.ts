import { notFound } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { TenantRow, TenantsRepo } from './tenants.repo';

/** A tenant named by a caller: `business_id` may be its id (as GET /api/tenants lists it) or its slug. */
export function findBusiness(tenants: TenantsRepo, ref: string): TenantRow | undefined {
  return tenants.bySlug(ref) ?? tenants.byId(ref);
}

/**
 * The tenant a staff request acts on: the caller's own, or, for a platform admin, the one named
 * by `business_id`. Anyone else naming another tenant gets the same 404 as a missing one.
 */
export function tenantOf(tenants: TenantsRepo, auth: AuthContext, businessId?: string): TenantRow {
  const own = tenants.byId(auth.tenantId);
  if (!own) throw notFound('Tenant');
  if (!businessId || businessId === own.slug || businessId === own.id) return own;
  const other = auth.role === 'admin' ? findBusiness(tenants, businessId) : undefined;
  if (!other) throw notFound('Business');
  return other;
}
