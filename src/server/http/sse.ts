import { PassThrough } from 'node:stream';
import type { AppContext } from './context';

export const HEARTBEAT_MS = 15_000;

export interface SseStream {
  send(msg: { id?: number; event?: string; data: unknown }): void;
  close(): void;
  readonly closed: boolean;
}

/** Every open stream, so shutdown can end them instead of waiting for the grace timeout. */
export class SseRegistry {
  private readonly open = new Set<SseStream>();

  /** Turns the response into a Server-Sent Events stream with heartbeats. */
  start(ctx: AppContext, onClose: () => void): SseStream {
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
        onClose();
        body.end();
      },
      get closed() {
        return closed;
      },
    };
    ctx.req.on('close', () => stream.close());
    this.open.add(stream);
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
