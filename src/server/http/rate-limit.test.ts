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
