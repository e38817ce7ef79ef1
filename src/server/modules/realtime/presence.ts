/**
 * Which businesses have staff watching Mission Control right now (an open staff stream): the
 * widget shows "online" from this. Behind an interface so that several server instances can share
 * it; this process's streams are what the in-memory implementation knows.
 */
export interface Presence {
  /** A staff stream of the tenant opened; `platform`: the tenant is the platform's (whose admins see every tenant). */
  opened(tenantId: string, platform: boolean): void;
  /** One of the tenant's staff streams closed (each `opened` is matched by one `closed`). */
  closed(tenantId: string): void;
  /** Someone can answer the tenant's visitors: its own staff, or the platform's, are watching. */
  isOnline(tenantId: string): Promise<boolean>;
}

/** Presence counted in this process. */
export function createMemoryPresence(): Presence {
  const watching = new Map<string, number>();
  // Whether a tenant is the platform's never changes; the stream that opens says it.
  const platforms = new Set<string>();
  const platformAdminsWatching = () => [...platforms].some((id) => (watching.get(id) ?? 0) > 0);
  return {
    opened(tenantId, platform) {
      if (platform) platforms.add(tenantId);
      watching.set(tenantId, (watching.get(tenantId) ?? 0) + 1);
    },
    closed(tenantId) {
      watching.set(tenantId, Math.max(0, (watching.get(tenantId) ?? 0) - 1));
    },
    isOnline: (tenantId) => Promise.resolve((watching.get(tenantId) ?? 0) > 0 || platformAdminsWatching()),
  };
}
