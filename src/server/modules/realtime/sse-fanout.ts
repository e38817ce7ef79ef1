import type { BobEvent } from '../../../shared/events';
import type { EventBus } from '../events/events.bus';
import type { SseStream } from './sse';

/** `keysOf`'s answer for an event every stream of the fan-out may see. */
export const EVERY_STREAM = Symbol('every stream');

export interface FanoutRoute {
  /** The keys whose streams an event may concern (e.g. its tenant), or every stream. */
  keysOf(e: BobEvent): readonly string[] | typeof EVERY_STREAM;
  /**
   * The event's frame (`sseFrame`) for these streams, or null when they do not show it. Called at
   * most once per event, and only when some stream is open under one of its keys.
   */
  frame(e: BobEvent): Buffer | null;
}

/**
 * One event-bus subscription for many live streams of one audience (staff, or visitors). Streams
 * are kept under a key (a tenant, a conversation), so an event visits only the streams it concerns
 * instead of every open one; it is serialised once, and the same bytes are written to each of them.
 * The frames written in one tick (a group commit publishes several events at once) leave each
 * socket in one write: the streams are corked on their first frame and uncorked in a microtask.
 *
 * The bus is subscribed while at least one stream is open. Writes go through each stream's own
 * `write`, so a slow client is buffered exactly as with `send` (sse.ts).
 */
export class SseFanout {
  private readonly byKey = new Map<string, Set<SseStream>>();
  /** Streams still being replayed what they missed: their live frames, held until `release`. */
  private readonly holding = new Map<SseStream, { id: number; frame: Buffer }[]>();
  /**
   * Streams replayed up to an id: with several instances, an event another instance committed can
   * be read by the replay before its announcement reaches this bus; its live frame is skipped.
   */
  private readonly replayedUpTo = new Map<SseStream, number>();
  private open = 0;
  private unsubscribe: (() => void) | null = null;
  private corked: SseStream[] = [];
  private readonly uncorkAll = () => {
    const streams = this.corked;
    this.corked = [];
    for (const s of streams) s.uncork();
  };

  constructor(
    private readonly bus: Pick<EventBus, 'subscribe'>,
    private readonly route: FanoutRoute,
  ) {}

  /**
   * Adds an open stream under `key`; it gets every later event routed to that key. Returns the
   * removal. `hold`: the stream is about to be replayed the stored events it missed (Last-Event-ID),
   * which takes a query: its live frames are held meanwhile, and `release` writes them after.
   */
  add(key: string, stream: SseStream, opts: { hold?: boolean } = {}): () => void {
    if (opts.hold) this.holding.set(stream, []);
    let set = this.byKey.get(key);
    if (!set) this.byKey.set(key, (set = new Set()));
    set.add(stream);
    this.open++;
    this.unsubscribe ??= this.bus.subscribe((e) => this.deliver(e));
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.holding.delete(stream);
      this.replayedUpTo.delete(stream);
      set.delete(stream);
      if (set.size === 0 && this.byKey.get(key) === set) this.byKey.delete(key);
      if (--this.open === 0) {
        this.unsubscribe?.();
        this.unsubscribe = null;
      }
    };
  }

  /**
   * Ends a `hold`: writes the live frames that came during the replay, except those of events it
   * replayed (ids up to `replayedUpTo`), and skips those that come after it still, so none is
   * lost or repeated.
   */
  release(stream: SseStream, replayedUpTo: number) {
    const held = this.holding.get(stream);
    if (!held) return;
    this.holding.delete(stream);
    for (const h of held) if (h.id > replayedUpTo && !stream.closed) stream.write(h.frame);
    // The bus publishes in id order: until an event past the replay comes, any is a repeat.
    if (!held.some((h) => h.id > replayedUpTo)) this.replayedUpTo.set(stream, replayedUpTo);
  }

  /**
   * Writes an ephemeral frame (no `id:`, never stored: a typing indicator) to the streams under
   * `keys`. Streams still being replayed skip it: it would only be stale once they catch up.
   */
  signal(keys: readonly string[], frame: Buffer) {
    for (const key of keys) {
      for (const s of this.byKey.get(key) ?? []) if (!s.closed && !this.holding.has(s)) s.write(frame);
    }
  }

  /** How many streams are open (for tests and metrics). */
  count(): number {
    return this.open;
  }

  private deliver(e: BobEvent) {
    const keys = this.route.keysOf(e);
    let frame: Buffer | null | undefined; // undefined: not made yet
    const each = (set: Set<SseStream> | undefined) => {
      if (!set || set.size === 0) return true;
      if (frame === undefined) frame = this.route.frame(e);
      if (frame === null) return false;
      for (const s of set) {
        if (s.closed) continue;
        const held = this.holding.size ? this.holding.get(s) : undefined;
        if (held) {
          held.push({ id: e.id, frame });
          continue;
        }
        const replayed = this.replayedUpTo.size ? this.replayedUpTo.get(s) : undefined;
        if (replayed !== undefined) {
          if (e.id <= replayed) continue;
          this.replayedUpTo.delete(s);
        }
        if (s.cork()) {
          if (this.corked.length === 0) queueMicrotask(this.uncorkAll);
          this.corked.push(s);
        }
        s.write(frame);
      }
      return true;
    };
    if (keys === EVERY_STREAM) {
      for (const set of this.byKey.values()) if (!each(set)) return;
    } else {
      for (const key of keys) if (!each(this.byKey.get(key))) return;
    }
  }
}
