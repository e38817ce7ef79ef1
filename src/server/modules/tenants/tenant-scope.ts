import { notFound } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { TenantRow, TenantsRepo } from './tenants.repo';

/** A tenant named by a caller: `business_id` may be its id (as GET /api/tenants lists it) or its slug. */
export async function findBusiness(tenants: TenantsRepo, ref: string): Promise<TenantRow | undefined> {
  return (await tenants.bySlug(ref)) ?? (await tenants.byId(ref));
}

/**
 * The tenant a staff request acts on: the caller's own, or, for a platform admin, the one named
 * by `business_id`. Anyone else naming another tenant gets the same 404 as a missing one.
 */
export async function tenantOf(tenants: TenantsRepo, auth: AuthContext, businessId?: string): Promise<TenantRow> {
  const own = await tenants.byId(auth.tenantId);
  if (!own) throw notFound('Tenant');
  if (!businessId || businessId === own.slug || businessId === own.id) return own;
  const other = auth.role === 'admin' ? await findBusiness(tenants, businessId) : undefined;
  if (!other) throw notFound('Business');
  return other;
}
