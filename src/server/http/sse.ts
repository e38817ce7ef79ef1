import { PassThrough } from 'node:stream';
import { rateLimited } from '../errors';
import type { AppContext } from './context';

export const HEARTBEAT_MS = 15_000;

export interface SseStream {
  send(msg: { id?: number; event?: string; data: unknown }): void;
  close(): void;
  readonly closed: boolean;
}

/** How many streams may be open at once (BOB_MAX_STREAMS_PER_IP, …_PER_KEY, BOB_MAX_STAFF_STREAMS_PER_USER). */
export interface StreamLimits {
  perIp: number;
  perKey: number;
  perStaffUser: number;
}
export const DEFAULT_STREAM_LIMITS: StreamLimits = { perIp: 20, perKey: 2000, perStaffUser: 10 };

/** Who a stream counts against: a visitor's address and widget key, or a staff member. */
export type StreamHolder = { ip: string; widgetKeyId: string } | { userId: string };

/** A refused stream is not retried by a timer; a few seconds is enough for one to close. */
const STREAM_RETRY_AFTER_S = 10;

/**
 * Every open stream, so shutdown can end them instead of waiting for the grace timeout, and
 * how many each holder has open, so one client cannot hold connections without bound.
 */
export class SseRegistry {
  private readonly open = new Set<SseStream>();
  private readonly held = new Map<string, number>();

  constructor(private readonly limits: StreamLimits = DEFAULT_STREAM_LIMITS) {}

  /**
   * Turns the response into a Server-Sent Events stream with heartbeats. Over a holder's limit
   * it throws 429 `rate_limited` before anything is written, so the answer is the usual JSON error.
   */
  start(ctx: AppContext, onClose: () => void, holder: StreamHolder): SseStream {
    const slots: [string, number][] =
      'userId' in holder
        ? [[`user:${holder.userId}`, this.limits.perStaffUser]]
        : [[`ip:${holder.ip}`, this.limits.perIp], [`key:${holder.widgetKeyId}`, this.limits.perKey]];
    if (slots.some(([slot, limit]) => (this.held.get(slot) ?? 0) >= limit)) {
      throw rateLimited(STREAM_RETRY_AFTER_S, 'Too many live streams open at once. Close one and try again.');
    }
    for (const [slot] of slots) this.held.set(slot, (this.held.get(slot) ?? 0) + 1);
    const held = this.held;
    const release = () => {
      for (const [slot] of slots) {
        const n = held.get(slot)! - 1;
        if (n > 0) held.set(slot, n);
        else held.delete(slot);
      }
    };

    const body = new PassThrough();
    ctx.req.socket.setTimeout(0);
    ctx.req.socket.setNoDelay(true);
    ctx.set('Content-Type', 'text/event-stream; charset=utf-8');
    ctx.set('Cache-Control', 'no-cache, no-transform');
    ctx.set('Connection', 'keep-alive');
    ctx.set('X-Accel-Buffering', 'no');
    ctx.status = 200;
    ctx.body = body;
    body.write('retry: 3000\n\n');

    let closed = false;
    const heartbeat = setInterval(() => body.write(': ping\n\n'), HEARTBEAT_MS);
    const registry = this.open;
    const stream: SseStream = {
      send({ id, event, data }) {
        if (closed) return;
        body.write(`${id !== undefined ? `id: ${id}\n` : ''}${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
      },
      close() {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        registry.delete(stream);
        release();
        onClose();
        body.end();
      },
      get closed() {
        return closed;
      },
    };
    ctx.req.on('close', () => stream.close());
    this.open.add(stream);
    // A client gone before the stream started sends no more 'close': free its slots now.
    if (ctx.req.socket.destroyed) stream.close();
    return stream;
  }

  count(): number {
    return this.open.size;
  }

  closeAll(): void {
    for (const s of [...this.open]) s.close();
  }
}

export function lastEventId(ctx: AppContext): number {
  const raw = ctx.get('Last-Event-ID') || (typeof ctx.query.last_event_id === 'string' ? ctx.query.last_event_id : '');
  const n = Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : 0;
}
