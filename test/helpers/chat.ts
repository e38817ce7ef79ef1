import { randomUUID } from 'node:crypto';
import { records } from './db';
import type { TestServer } from './server';

export const sid = () => `s_${randomUUID()}`;

export async function tenantBySlug(server: TestServer, slug: string) {
  return (await records(server).tenant(slug))!;
}

export async function demoKey(server: TestServer, slug = 'business-co'): Promise<string> {
  return (await records(server).widgetKeys()).find((k) => k.slug === slug && k.mode === 'live')!.key;
}

/** POST /api/chat as an anonymous same-origin page would. */
export function publicChat(server: TestServer, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return server.send('POST', '/api/chat', body, headers);
}

/** POST /api/widget/chat as a customer's site would. */
export function widgetChat(server: TestServer, key: string, origin: string | null, body: Record<string, unknown>) {
  return server.send('POST', '/api/widget/chat', body, { 'X-Widget-Key': key, ...(origin ? { Origin: origin } : {}) });
}
