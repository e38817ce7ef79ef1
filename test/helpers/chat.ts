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

/** One message a visitor sent and Bob acknowledged (200), and when (performance.now()). */
export interface Acked {
  text: string;
  at: number;
}

/**
 * 20 visitors chat on the widget (each from an address of its own: the server needs
 * BOB_TRUST_PROXY=1) until `during` ends; `during` starts once 40 messages are acknowledged.
 * Each visitor stops at its conversation's limit (20 a minute). Returns every acknowledged
 * message and when `during` started and ended.
 */
export async function chatWhile(server: TestServer, during: () => Promise<void>): Promise<{ acked: Acked[]; started: number; ended: number }> {
  const key = await demoKey(server);
  const acked: Acked[] = [];
  let stop = false;
  const visitor = async (n: number) => {
    const session_id = sid();
    for (let i = 0; !stop; i++) {
      const text = `visitor ${n} message ${i}`;
      const r = await server.send('POST', '/api/widget/chat', { session_id, message: text }, { 'X-Widget-Key': key, Origin: 'http://localhost:5173', 'X-Forwarded-For': `10.0.0.${n + 1}` });
      if (r.status === 429) {
        await r.body?.cancel();
        break;
      }
      if (r.status !== 200) throw new Error(`visitor ${n}: ${r.status} ${await r.text()}`);
      await r.json();
      acked.push({ text, at: performance.now() });
    }
  };
  const visitors = Array.from({ length: 20 }, (_, n) => visitor(n));
  while (acked.length < 40) await new Promise((r) => setTimeout(r, 10));
  const started = performance.now();
  try {
    await during();
  } finally {
    stop = true;
  }
  const ended = performance.now();
  await Promise.all(visitors);
  return { acked, started, ended };
}
