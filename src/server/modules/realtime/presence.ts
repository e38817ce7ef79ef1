/**
 * Which businesses have staff watching Mission Control right now (an open staff stream): the
 * widget shows "online" from this. Behind an interface so that several server instances can share
 * it; this process's streams are what the in-memory implementation knows.
 */
export interface Presence {
  /** A staff stream of the tenant opened. */
  opened(tenantId: string): void;
  /** One of the tenant's staff streams closed (each `opened` is matched by one `closed`). */
  closed(tenantId: string): void;
  /** Someone can answer the tenant's visitors: its own staff, or the platform's, are watching. */
  isOnline(tenantId: string): boolean;
}

/** Presence counted in this process. `isPlatform` tells the platform's tenant (whose admins see every tenant). */
export function createMemoryPresence(isPlatform: (tenantId: string) => boolean): Presence {
  const watching = new Map<string, number>();
  const platformAdminsWatching = () => [...watching.entries()].some(([id, n]) => n > 0 && isPlatform(id));
  return {
    opened(tenantId) {
      watching.set(tenantId, (watching.get(tenantId) ?? 0) + 1);
    },
    closed(tenantId) {
      watching.set(tenantId, Math.max(0, (watching.get(tenantId) ?? 0) - 1));
    },
    isOnline: (tenantId) => (watching.get(tenantId) ?? 0) > 0 || platformAdminsWatching(),
  };
}
