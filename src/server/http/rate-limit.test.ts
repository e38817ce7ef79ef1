import { describe, expect, it } from 'vitest';
import { Backoff, RateLimiter } from './rate-limit';

/** A clock in milliseconds that a test moves by hand. */
function fakeClock(start = 1_700_000_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

describe('RateLimiter', () => {
  it('refuses the (N+1)th hit within the window with a whole-second Retry-After, then allows again', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(3, 60_000, clock.now);
    for (let i = 0; i < 3; i++) expect(limiter.hit('a')).toBe(0);
    clock.t += 59_500;
    expect(limiter.retryAfter('a')).toBe(1);
    expect(limiter.hit('a')).toBe(1);
    expect(limiter.hit('b')).toBe(0); // other keys are not affected
    clock.t += 500;
    expect(limiter.retryAfter('a')).toBe(0);
    expect(limiter.hit('a')).toBe(0);
  });

  it('counts Retry-After from the first hit of the window and never answers less than 1 s', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(1, 60_000, clock.now);
    expect(limiter.hit('a')).toBe(0);
    clock.t += 10_200;
    expect(limiter.hit('a')).toBe(50);
    clock.t += 49_799;
    expect(limiter.hit('a')).toBe(1);
  });

  it('forgets a key on reset, and forgive takes back one hit', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(2, 60_000, clock.now);
    limiter.hit('a');
    limiter.hit('a');
    expect(limiter.retryAfter('a')).toBeGreaterThan(0);
    limiter.forgive('a');
    expect(limiter.hit('a')).toBe(0);
    expect(limiter.hit('a')).toBeGreaterThan(0);
    limiter.reset('a');
    expect(limiter.hit('a')).toBe(0);
  });

  it('keeps time per hit flat and memory bounded with 200,000 distinct keys', () => {
    const clock = fakeClock();
    const windowMs = 60_000;
    const stepMs = 5; // 12,000 new keys per window: more than the old sweep threshold stay live
    const limiter = new RateLimiter(20, windowMs, clock.now);
    const chunk = 10_000;
    const times: number[] = [];
    let maxSize = 0;
    for (let c = 0; c < 20; c++) {
      const started = performance.now();
      for (let i = 0; i < chunk; i++) {
        clock.t += stepMs;
        limiter.hit(`session-${c}-${i}`);
      }
      times.push(performance.now() - started);
      maxSize = Math.max(maxSize, limiter.size);
      // A per-hit cost that grows with the live keys shows at once (the old sweep: 100×); stop there.
      if (times[c]! > 20 * Math.max(times[0]!, 5)) break;
    }
    // Medians of three chunks and a floor, so one GC pause or a busy machine cannot fail it.
    const median = (xs: number[]) => Math.max([...xs].sort((a, b) => a - b)[1]!, 10);
    const report = `ms per 10,000 hits: ${times.map((t) => t.toFixed(1)).join(', ')}`;
    expect(times, report).toHaveLength(20);
    expect(median(times.slice(-3)), report).toBeLessThan(3 * median(times.slice(0, 3)));
    // Two generations of one window each: at most two windows' worth of keys.
    expect(maxSize).toBeLessThanOrEqual((2 * windowMs) / stepMs);
    expect(limiter.size).toBeLessThanOrEqual((2 * windowMs) / stepMs);
  });
  it('never refuses under a limit above what it counts (1e9, Infinity), and forgive stops at zero', () => {
    const clock = fakeClock();
    for (const limit of [1e9, 2 ** 31, Infinity]) {
      const limiter = new RateLimiter(limit, 60_000, clock.now);
      for (let i = 0; i < 1000; i++) expect(limiter.hit('a')).toBe(0);
      expect(limiter.retryAfter('a')).toBe(0);
    }
    const limiter = new RateLimiter(1, 60_000, clock.now);
    limiter.hit('a');
    limiter.forgive('a');
    limiter.forgive('a');
    expect(limiter.hit('a')).toBe(0);
    expect(limiter.hit('a')).toBe(60);
  });

  it('answers as a plain map of windows would, through growth, deletes and generations (random operations)', () => {
    // A reference without generations or hashing: the windows as the class comment defines them.
    let seed = 19;
    const random = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) / 2 ** 32;
    };
    const clock = fakeClock();
    const windowMs = 1000;
    const limit = 3;
    const limiter = new RateLimiter(limit, windowMs, clock.now);
    const model = new Map<string, { start: number; count: number }>();
    const live = (key: string) => {
      const w = model.get(key);
      return w && clock.t < w.start + windowMs ? w : undefined;
    };
    const wait = (w: { start: number }) => Math.max(1, Math.ceil((w.start + windowMs - clock.t) / 1000));
    // 400 keys: a collision among them (about 1 in 50,000 runs) would show here as a difference.
    const keys = Array.from({ length: 400 }, (_, i) => `tenant-${i % 7}|visitor-${i}`);
    for (let op = 0; op < 200_000; op++) {
      clock.t += Math.floor(random() * 12);
      const key = keys[Math.floor(random() * keys.length)]!;
      const r = random();
      const w = live(key);
      if (r < 0.7) {
        const expected = !w ? 0 : w.count >= limit ? wait(w) : 0;
        if (!w) model.set(key, { start: clock.t, count: 1 });
        else if (w.count < limit) w.count++;
        const got = limiter.hit(key);
        if (got !== expected) expect(got, `hit #${op}`).toBe(expected);
      } else if (r < 0.85) {
        const expected = w && w.count >= limit ? wait(w) : 0;
        const got = limiter.retryAfter(key);
        if (got !== expected) expect(got, `retryAfter #${op}`).toBe(expected);
      } else if (r < 0.95) {
        if (w && w.count > 0) w.count--;
        limiter.forgive(key);
      } else {
        model.delete(key);
        limiter.reset(key);
      }
    }
    expect(limiter.size).toBeLessThanOrEqual(keys.length);
    expect(limiter.size).toBeGreaterThan(0);
  });

  it('holds keys as 32-bit hashes: a rare collision merges two keys, and another limiter keeps them apart', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(1, 60_000, clock.now);
    // 400,000 keys hold about 19 colliding pairs (n²/2³³); none at all is a chance of 1 in 10⁸.
    const keys = Array.from({ length: 400_000 }, (_, i) => `business-co|visitor-${i}`);
    let b = -1;
    for (let i = 0; i < keys.length; i++) if (limiter.hit(keys[i]!) > 0 && b < 0) b = i;
    expect(b).toBeGreaterThan(0);
    expect(limiter.size).toBeLessThan(keys.length);
    // Every key is now at its limit but the one that `b` collided with, once `b` is reset.
    limiter.reset(keys[b]!);
    const a = keys.findIndex((key, i) => i !== b && limiter.retryAfter(key) === 0);
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(b);
    // Merged: a hit on one counts for the other (stricter, never looser, than one window each).
    expect(limiter.hit(keys[a]!)).toBe(0);
    expect(limiter.hit(keys[b]!)).toBe(60);
    // Another limiter hashes with another seed: the same two keys are apart there.
    const other = new RateLimiter(1, 60_000, clock.now);
    expect(other.hit(keys[a]!)).toBe(0);
    expect(other.hit(keys[b]!)).toBe(0);
  });
});

describe('Backoff', () => {
  const opts = { free: 5, baseMs: 1000, maxMs: 15 * 60_000, forgetMs: 60 * 60_000 };

  it('lets the first failures through, then doubles the wait up to the cap, and a reset clears it', () => {
    const clock = fakeClock();
    const b = new Backoff(opts, clock.now);
    for (let i = 0; i < 5; i++) {
      expect(b.retryAfter('x')).toBe(0);
      b.fail('x');
    }
    const waits: number[] = [];
    for (let i = 0; i < 12; i++) {
      const wait = b.retryAfter('x');
      waits.push(wait);
      clock.t += wait * 1000;
      expect(b.retryAfter('x')).toBe(0);
      b.fail('x');
    }
    expect(waits).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900]);
    b.reset('x');
    expect(b.retryAfter('x')).toBe(0);
  });

  it('forgets failures after a quiet hour and drops them from memory', () => {
    const clock = fakeClock();
    const b = new Backoff(opts, clock.now);
    for (let i = 0; i < 6; i++) b.fail('x');
    expect(b.retryAfter('x')).toBe(2);
    clock.t += 60 * 60_000;
    expect(b.retryAfter('x')).toBe(0);
    b.fail('y');
    clock.t += 2 * 60 * 60_000;
    b.fail('z');
    expect(b.size).toBe(1);
  });
});
