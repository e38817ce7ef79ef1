/**
 * Sliding-window counter keyed by any string (IP, email+IP, session). In memory: Bob runs as
 * one process; several instances would move this behind the shared store (SPEC §15).
 * Each key keeps its hit times oldest first and drops expired ones from the front, so a hit
 * costs amortised O(1) however high the limit.
 */
interface HitLog {
  times: number[];
  head: number;
}

export class RateLimiter {
  private readonly logs = new Map<string, HitLog>();

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Seconds until `key` may act again; 0 when under the limit. Does not record. */
  retryAfter(key: string): number {
    const log = this.logs.get(key);
    if (!log || this.live(log) < this.limit) return 0;
    return Math.max(1, Math.ceil((log.times[log.head]! + this.windowMs - this.now()) / 1000));
  }

  /** Records one hit; returns the seconds to wait if this hit is over the limit, else 0. */
  hit(key: string): number {
    const wait = this.retryAfter(key);
    if (wait > 0) return wait;
    let log = this.logs.get(key);
    if (!log) {
      if (this.logs.size >= 10_000) this.sweep();
      this.logs.set(key, (log = { times: [], head: 0 }));
    }
    log.times.push(this.now());
    return 0;
  }

  reset(key: string): void {
    this.logs.delete(key);
  }

  /** Drops expired hits and returns how many are left in the window. */
  private live(log: HitLog): number {
    const since = this.now() - this.windowMs;
    while (log.head < log.times.length && log.times[log.head]! <= since) log.head++;
    if (log.head > 64 && log.head * 2 > log.times.length) {
      log.times = log.times.slice(log.head);
      log.head = 0;
    }
    return log.times.length - log.head;
  }

  private sweep(): void {
    for (const [key, log] of this.logs) if (this.live(log) === 0) this.logs.delete(key);
  }
}
