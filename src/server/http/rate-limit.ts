/**
 * Limits and throttles keyed by any string (IP, email, session). In memory: Bob runs as one
 * process; several instances would move these behind the shared store (SPEC §15).
 *
 * Both keep their keys in two generations, by the period (of one window) in which the key's state
 * last started: a state started two periods ago has expired, so when time enters a new period the
 * older generation is dropped whole. Work per call is O(1) and memory is the keys active in the
 * last two periods, however many distinct keys arrive; `now` is read once per call.
 */
class Generations<V> {
  private recent = new Map<string, V>();
  private older = new Map<string, V>();
  private period = -Infinity;

  constructor(private readonly periodMs: number) {}

  get size(): number {
    return this.recent.size + this.older.size;
  }

  get(key: string, t: number): V | undefined {
    this.roll(t);
    return this.recent.get(key) ?? this.older.get(key);
  }

  /** Files `value` under the period of `t` (the caller's state starts or restarts now). */
  set(key: string, value: V, t: number): void {
    this.roll(t);
    this.older.delete(key);
    this.recent.set(key, value);
  }

  delete(key: string): void {
    this.recent.delete(key);
    this.older.delete(key);
  }

  private roll(t: number): void {
    const period = Math.floor(t / this.periodMs);
    // A clock that steps back keeps the current generations: states then live longer, never shorter.
    if (period <= this.period) return;
    this.older = period === this.period + 1 ? this.recent : new Map();
    this.recent = new Map();
    this.period = period;
  }
}

interface Window {
  start: number;
  count: number;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/**
 * `limit` hits per window of `windowMs`, the window starting at a key's first hit: the
 * (limit+1)th hit within it is refused until the window ends. (Up to 2×limit can land close
 * together across the end of one window and the start of the next; that is the price of O(1).)
 */
export class RateLimiter {
  private readonly windows: Generations<Window>;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.windows = new Generations(windowMs);
  }

  /** Keys held in memory (live, or expired and not yet dropped with their generation). */
  get size(): number {
    return this.windows.size;
  }

  /** Seconds until `key` may act again; 0 when under the limit. Does not record. */
  retryAfter(key: string): number {
    const t = this.now();
    const w = this.live(key, t);
    return w && w.count >= this.limit ? seconds(w.start + this.windowMs - t) : 0;
  }

  /** Records one hit; returns the seconds to wait if this hit is over the limit (not recorded), else 0. */
  hit(key: string): number {
    const t = this.now();
    const w = this.live(key, t);
    if (!w) this.windows.set(key, { start: t, count: 1 }, t);
    else if (w.count >= this.limit) return seconds(w.start + this.windowMs - t);
    else w.count++;
    return 0;
  }

  /** Takes back one hit, e.g. one recorded before an outcome that turned out not to count. */
  forgive(key: string): void {
    const w = this.live(key, this.now());
    if (w && w.count > 0) w.count--;
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private live(key: string, t: number): Window | undefined {
    const w = this.windows.get(key, t);
    return w && t < w.start + this.windowMs ? w : undefined;
  }
}

interface Failures {
  count: number;
  last: number;
  until: number;
}

/**
 * Growing delay after repeated failures on one key (an account): the first `free` failures cost
 * nothing, then each attempt must wait `baseMs`, 2×, 4× … up to `maxMs` after the last failure.
 * A success (reset) clears it; so does a quiet `forgetMs` without failures. It never locks a key
 * for good: once the delay has passed, one more attempt is allowed.
 */
export class Backoff {
  private readonly failures: Generations<Failures>;

  constructor(
    readonly opts: { free: number; baseMs: number; maxMs: number; forgetMs: number },
    private readonly now: () => number = Date.now,
  ) {
    this.failures = new Generations(opts.forgetMs);
  }

  get size(): number {
    return this.failures.size;
  }

  /** Seconds until `key` may try again; 0 when it may now. */
  retryAfter(key: string): number {
    const t = this.now();
    const f = this.live(key, t);
    return f && f.until > t ? seconds(f.until - t) : 0;
  }

  /** Records a failure (or an attempt not yet known to succeed) and sets the next delay. */
  fail(key: string): void {
    const t = this.now();
    const f = this.live(key, t) ?? { count: 0, last: t, until: t };
    f.count++;
    f.last = t;
    const over = f.count - this.opts.free;
    f.until = over >= 0 ? t + Math.min(this.opts.maxMs, this.opts.baseMs * 2 ** over) : t;
    this.failures.set(key, f, t);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private live(key: string, t: number): Failures | undefined {
    const f = this.failures.get(key, t);
    return f && t < f.last + this.opts.forgetMs ? f : undefined;
  }
}
