/**
 * Limits and throttles keyed by any string (IP, email, session). In memory (below) when Bob runs as
 * one process; several instances share them in PostgreSQL (storage/pg/limit-store.ts, SPEC §15).
 *
 * Both keep their keys in two generations, by the period (of one window) in which the key's state
 * last started: a state started two periods ago has expired, so when time enters a new period the
 * older generation is dropped whole. Work per call is O(1) (amortized over a table's growth) and
 * memory is the keys active in the last two periods, however many distinct keys arrive; `now` is
 * read once per call.
 */
import { randomBytes } from 'node:crypto';

/** A rate limit per key, as callers use it; the store behind it may be shared by several instances. */
export interface Limiter {
  /** Records one hit; resolves to the seconds to wait if this hit is over the limit (not recorded), else 0. */
  hit(key: string): Promise<number>;
  /** Seconds until `key` may act again; 0 when under the limit. Does not record. */
  retryAfter(key: string): Promise<number>;
  /** Takes back one hit, e.g. one recorded before an outcome that turned out not to count. */
  forgive(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

/** A growing delay after repeated failures per key (see Backoff). */
export interface FailureDelay {
  /** Seconds until `key` may try again; 0 when it may now. */
  retryAfter(key: string): Promise<number>;
  /** Records a failure (or an attempt not yet known to succeed). */
  fail(key: string): Promise<void>;
  reset(key: string): Promise<void>;
}

export interface BackoffOptions {
  free: number;
  baseMs: number;
  maxMs: number;
  forgetMs: number;
}

/**
 * Where services get their limits. `name` tells apart the limiters of one process (a shared
 * store keeps them apart by it); the figures are the caller's.
 */
export interface LimitStore {
  limiter(name: string, limit: number, windowMs: number): Limiter;
  backoff(name: string, opts: BackoffOptions): FailureDelay;
}

/**
 * A key's 32-bit hash (MurmurHash3's mixing over the UTF-16 code units), never 0. Fast, not
 * cryptographic: the random `seed` of each limiter changes which keys collide, so a collision
 * cannot be looked up in advance, but it is no keyed hash and a determined sender may craft one.
 */
function hashKey(key: string, seed: number): number {
  let h = seed ^ key.length;
  for (let i = 0; i < key.length; i++) {
    let k = Math.imul(key.charCodeAt(i), 0xcc9e2d51);
    k = Math.imul((k << 15) | (k >>> 17), 0x1b873593);
    h ^= k;
    h = (Math.imul((h << 13) | (h >>> 19), 5) + 0xe6546b64) | 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h || 1;
}

/**
 * An open-addressing table (linear probing) from a key hash (an int32, never 0) to two int32
 * fields, in one Int32Array of [hash, a, b] slots: 12 bytes a slot, kept between 3/8 and 3/4 full.
 * Only the hashes are held, not the keys. Slot numbers stay valid until the next insert or delete.
 * `base` is the start of the period it files states under (fields may be offsets from it).
 */
class HashTable {
  private slots: Int32Array;
  private mask: number;
  size = 0;

  constructor(readonly base: number, capacity = 16) {
    this.mask = capacity - 1;
    this.slots = new Int32Array(capacity * 3);
  }

  /** The slot of `hash`, or -1. */
  find(hash: number): number {
    const slots = this.slots;
    for (let i = hash & this.mask; ; i = (i + 1) & this.mask) {
      const h = slots[i * 3]!;
      if (h === hash) return i;
      if (h === 0) return -1;
    }
  }

  /** Files `hash` (not in the table) with fields `a` and `b`; returns its slot. */
  insert(hash: number, a: number, b: number): number {
    if ((this.size + 1) * 4 > (this.mask + 1) * 3) this.grow();
    const slots = this.slots;
    let i = hash & this.mask;
    while (slots[i * 3] !== 0) i = (i + 1) & this.mask;
    slots[i * 3] = hash;
    slots[i * 3 + 1] = a;
    slots[i * 3 + 2] = b;
    this.size++;
    return i;
  }

  field(slot: number, n: 1 | 2): number {
    return this.slots[slot * 3 + n]!;
  }

  setField(slot: number, n: 1 | 2, value: number): void {
    this.slots[slot * 3 + n] = value;
  }

  /** Removes `hash` if present, moving back the slots after it (no tombstones). */
  delete(hash: number): void {
    let hole = this.find(hash);
    if (hole < 0) return;
    const slots = this.slots;
    const mask = this.mask;
    for (let j = (hole + 1) & mask; slots[j * 3] !== 0; j = (j + 1) & mask) {
      // The slot at j may fill the hole if the hole lies between its home slot and j.
      const home = slots[j * 3]! & mask;
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        slots.copyWithin(hole * 3, j * 3, j * 3 + 3);
        hole = j;
      }
    }
    slots.fill(0, hole * 3, hole * 3 + 3);
    this.size--;
  }

  private grow(): void {
    const old = this.slots;
    this.mask = this.mask * 2 + 1;
    this.slots = new Int32Array((this.mask + 1) * 3);
    this.size = 0;
    for (let i = 0; i < old.length; i += 3) if (old[i] !== 0) this.insert(old[i]!, old[i + 1]!, old[i + 2]!);
  }
}

/**
 * String-keyed generations, for Backoff: its keys are accounts, where a hash collision would let
 * a success on one account clear another's delay.
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

/** A wait in ms as a Retry-After: whole seconds, at least 1. */
export const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

const INT32_MAX = 0x7fffffff;
/** The fields of a RateLimiter slot: its window's start (ms after its table's base), its count. */
const START = 1;
const COUNT = 2;

/**
 * `limit` hits per window of `windowMs`, the window starting at a key's first hit: the
 * (limit+1)th hit within it is refused until the window ends. (Up to 2×limit can land close
 * together across the end of one window and the start of the next; that is the price of O(1).)
 *
 * Compact, as it holds every visitor of the last two windows: one 12-byte slot per key (16–32
 * bytes a key with the tables' spare room), with no object and no copy of the key. Keys are held as
 * 32-bit hashes, seeded at random per limiter, so two keys may collide: about one pair in
 * 100,000 live keys (n²/2³³). A collision merges the two keys' windows — the limit is then
 * stricter for both (their hits add up), and a forgive or reset on one also acts on the other —
 * which is acceptable for rate limiting and nothing more: do not use it where a merged key
 * would grant anything. The count stops at 2³¹−1, so a limit at or above that is no limit;
 * windows start to the millisecond within ±24 days of their period (a clock stepped further
 * back than that starts them later: they last longer, never shorter).
 */
export class RateLimiter {
  private recent = new HashTable(0);
  private older = new HashTable(0);
  private period = -Infinity;
  private readonly seed = randomBytes(4).readInt32LE(0);
  /** The table of the slot `live` last returned. */
  private found = this.recent;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Keys held in memory (live, or expired and not yet dropped with their generation). */
  get size(): number {
    return this.recent.size + this.older.size;
  }

  /** Seconds until `key` may act again; 0 when under the limit. Does not record. */
  retryAfter(key: string): number {
    const t = this.now();
    const slot = this.live(hashKey(key, this.seed), t);
    return slot >= 0 && this.found.field(slot, COUNT) >= this.limit ? this.wait(slot, t) : 0;
  }

  /** Records one hit; returns the seconds to wait if this hit is over the limit (not recorded), else 0. */
  hit(key: string): number {
    const t = this.now();
    const hash = hashKey(key, this.seed);
    const slot = this.live(hash, t);
    if (slot < 0) {
      this.start(hash, t);
      return 0;
    }
    const count = this.found.field(slot, COUNT);
    if (count >= this.limit) return this.wait(slot, t);
    if (count < INT32_MAX) this.found.setField(slot, COUNT, count + 1);
    return 0;
  }

  /** Takes back one hit, e.g. one recorded before an outcome that turned out not to count. */
  forgive(key: string): void {
    const slot = this.live(hashKey(key, this.seed), this.now());
    if (slot < 0) return;
    const count = this.found.field(slot, COUNT);
    if (count > 0) this.found.setField(slot, COUNT, count - 1);
  }

  reset(key: string): void {
    const hash = hashKey(key, this.seed);
    this.recent.delete(hash);
    this.older.delete(hash);
  }

  private wait(slot: number, t: number): number {
    return seconds(this.found.base + this.found.field(slot, START) + this.windowMs - t);
  }

  /** The slot of `hash` (in `found`) if its window is live at `t`, else -1. */
  private live(hash: number, t: number): number {
    this.roll(t);
    let table = this.recent;
    let slot = table.find(hash);
    if (slot < 0) {
      table = this.older;
      slot = table.find(hash);
    }
    this.found = table;
    return slot >= 0 && t < table.base + table.field(slot, START) + this.windowMs ? slot : -1;
  }

  /** Starts a window of one hit at `t`, filed under the current period. */
  private start(hash: number, t: number): void {
    const recent = this.recent;
    const start = Math.max(-INT32_MAX - 1, Math.min(INT32_MAX, Math.ceil(t - recent.base)));
    const slot = recent.find(hash);
    if (slot >= 0) {
      recent.setField(slot, START, start);
      recent.setField(slot, COUNT, 1);
    } else {
      this.older.delete(hash);
      recent.insert(hash, start, 1);
    }
  }

  private roll(t: number): void {
    const period = Math.floor(t / this.windowMs);
    // A clock that steps back keeps the current generations: states then live longer, never shorter.
    if (period <= this.period) return;
    this.older = period === this.period + 1 ? this.recent : new HashTable(0);
    this.recent = new HashTable(period * this.windowMs);
    this.period = period;
  }
}

/** A key's failures: how many, the last one's time, and until when the next attempt must wait (ms). */
export interface Failures {
  count: number;
  last: number;
  until: number;
}

/** `f` (a key's live failures, or none) after one more failure at `t`: Backoff's rule, shared by every store. */
export function failedAgain(f: Failures | undefined, t: number, opts: BackoffOptions): Failures {
  const count = (f?.count ?? 0) + 1;
  const over = count - opts.free;
  return { count, last: t, until: over >= 0 ? t + Math.min(opts.maxMs, opts.baseMs * 2 ** over) : t };
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
    readonly opts: BackoffOptions,
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
    this.failures.set(key, failedAgain(this.live(key, t), t, this.opts), t);
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private live(key: string, t: number): Failures | undefined {
    const f = this.failures.get(key, t);
    return f && t < f.last + this.opts.forgetMs ? f : undefined;
  }
}

/** Limits held in this process's memory, on `now` (ms): the classes above, answering at once. */
export function memoryLimitStore(now: () => number = Date.now): LimitStore {
  return {
    limiter: (_name, limit, windowMs) => {
      const l = new RateLimiter(limit, windowMs, now);
      return {
        hit: (key) => Promise.resolve(l.hit(key)),
        retryAfter: (key) => Promise.resolve(l.retryAfter(key)),
        forgive: (key) => Promise.resolve(l.forgive(key)),
        reset: (key) => Promise.resolve(l.reset(key)),
      };
    },
    backoff: (_name, opts) => {
      const b = new Backoff(opts, now);
      return {
        retryAfter: (key) => Promise.resolve(b.retryAfter(key)),
        fail: (key) => Promise.resolve(b.fail(key)),
        reset: (key) => Promise.resolve(b.reset(key)),
      };
    },
  };
}
