import { randomUUID } from 'node:crypto';
import type { TestServer } from './server';

export const sid = () => `s_${randomUUID()}`;

export function tenantBySlug(server: TestServer, slug: string) {
  return server.db.prepare('SELECT * FROM tenants WHERE slug = ?').get(slug) as { id: string; slug: string; plan_id: string };
}

export function demoKey(server: TestServer, slug = 'business-co'): string {
  return server.db.prepare(`SELECT k.key FROM widget_keys k JOIN tenants t ON t.id = k.tenant_id WHERE t.slug = ? AND k.mode = 'live'`).pluck().get(slug) as string;
}

/** POST /api/chat as an anonymous same-origin page would. */
export function publicChat(server: TestServer, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return server.send('POST', '/api/chat', body, headers);
}

/** POST /api/widget/chat as a customer's site would. */
export function widgetChat(server: TestServer, key: string, origin: string | null, body: Record<string, unknown>) {
  return server.send('POST', '/api/widget/chat', body, { 'X-Widget-Key': key, ...(origin ? { Origin: origin } : {}) });
}
