import { PassThrough } from 'node:stream';
import { rateLimited } from '../../errors';
import type { AppContext } from '../../http/context';

export const HEARTBEAT_MS = 15_000;

export interface SseMessage {
  id?: number;
  event?: string;
  data: unknown;
}

export interface SseStream {
  /**
   * Writes a frame made by `sseFrame` as it is: the fan-out (sse-fanout.ts) serialises an event once
   * and hands the same bytes to every stream that shows it.
   */
  write(frame: Buffer): void;
  /**
   * Holds this stream's writes until `uncork()` (several frames in one tick go out in one write).
   * True if it corked now, false if it was corked already (or is closed).
   */
  cork(): boolean;
  uncork(): void;
  close(): void;
  readonly closed: boolean;
}

/** One event on the wire: `id:`, `event:` and `data:` (JSON) lines, then a blank line. */
export function sseFrameText({ id, event, data }: SseMessage): string {
  return `${id !== undefined ? `id: ${id}\n` : ''}${event ? `event: ${event}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
}

/** The same frame as bytes, ready to be written to any number of streams. */
export const sseFrame = (msg: SseMessage): Buffer => Buffer.from(sseFrameText(msg), 'utf8');

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

    // Koa pipes `body` into the response once the handler is done. From the moment that pipe has
    // carried everything written so far (the headers are out and `body` holds nothing), frames go
    // straight to the response: the same bytes in the same order, one stream hop fewer per frame
    // (it counts with a thousand streams). A slow client's frames then wait in the response's
    // buffer instead of `body`'s, unbounded either way, as before. If another middleware had
    // replaced the body (e.g. with a compressor) everything keeps going through `body`.
    const res = ctx.res;
    let direct = false;
    const out = (chunk: string | Buffer) => {
      if (!direct && res.headersSent && ctx.body === body && body.readableLength === 0 && body.writableLength === 0 && !res.writableEnded) direct = true;
      if (direct) res.write(chunk);
      else body.write(chunk);
    };

    let closed = false;
    const heartbeat = setInterval(() => out(': ping\n\n'), HEARTBEAT_MS);
    const registry = this.open;
    let corked = false;
    const stream: SseStream = {
      write(frame) {
        if (closed) return;
        out(frame);
      },
      // The body is piped to the response: once it flows, a write reaches the response in the same
      // tick, so corking the response gathers the frames of one tick into one socket write.
      cork() {
        if (closed || corked) return false;
        corked = true;
        res.cork();
        return true;
      },
      uncork() {
        if (!corked) return;
        corked = false;
        res.uncork();
      },
      close() {
        if (closed) return;
        closed = true;
        stream.uncork();
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
