// One behaviour for every LimitStore: the memory store (one instance) and PostgreSQL's (shared).
import { describe, expect, it } from 'vitest';
import { usePgDatabase } from '../../../../test/helpers/pg-database';
import { memoryLimitStore, type LimitStore } from '../../http/rate-limit';
import { pgLimitStore } from './limit-store';
import { postgresStorage } from './postgres';

const open = usePgDatabase();

/** A clock in milliseconds that a test moves by hand. */
function fakeClock(start = 1_700_000_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

const stores: [string, (now: () => number) => Promise<LimitStore>][] = [
  ['memory', async (now) => memoryLimitStore(now)],
  ['PostgreSQL', async (now) => pgLimitStore((await open()).storage, now)],
];

describe.each(stores)('the %s limit store', (_, makeStore) => {
  it('refuses the (N+1)th hit in a window with the seconds left, counts keys and names apart, and starts a new window once it ends', async () => {
    const clock = fakeClock();
    const store = await makeStore(clock.now);
    const limiter = store.limiter('chat.ip', 3, 60_000);
    const other = store.limiter('chat.session', 3, 60_000);
    for (let i = 0; i < 3; i++) expect(await limiter.hit('a')).toBe(0);
    expect(await limiter.retryAfter('a')).toBe(60);
    clock.t += 20_500;
    expect(await limiter.hit('a')).toBe(40); // 39.5 s left, rounded up
    expect(await limiter.hit('a')).toBe(40); // a refused hit does not move the window
    expect(await limiter.hit('b')).toBe(0);
    expect(await other.hit('a')).toBe(0);
    clock.t += 39_499;
    expect(await limiter.retryAfter('a')).toBe(1);
    clock.t += 1;
    expect(await limiter.retryAfter('a')).toBe(0);
    expect(await limiter.hit('a')).toBe(0); // a new window, of one hit
    expect(await limiter.hit('a')).toBe(0);
    expect(await limiter.hit('a')).toBe(0);
    expect(await limiter.hit('a')).toBe(60);
  });

  it('forgives one hit of a live window (never below zero, never a refused one) and resets a key', async () => {
    const clock = fakeClock();
    const store = await makeStore(clock.now);
    const limiter = store.limiter('login.address', 2, 60_000);
    await limiter.forgive('a'); // nothing to forgive: no effect
    expect(await limiter.hit('a')).toBe(0);
    expect(await limiter.hit('a')).toBe(0);
    expect(await limiter.hit('a')).toBe(60);
    expect(await limiter.hit('a')).toBe(60);
    await limiter.forgive('a'); // one counted hit back, whatever was refused
    expect(await limiter.retryAfter('a')).toBe(0);
    expect(await limiter.hit('a')).toBe(0);
    expect(await limiter.hit('a')).toBe(60);
    await limiter.forgive('a');
    await limiter.forgive('a');
    await limiter.forgive('a');
    expect(await limiter.hit('a')).toBe(0);
    expect(await limiter.hit('a')).toBe(0);
    expect(await limiter.hit('a')).toBe(60);
    await limiter.reset('a');
    expect(await limiter.retryAfter('a')).toBe(0);
    expect(await limiter.hit('a')).toBe(0);
    clock.t += 60_000;
    await limiter.forgive('a'); // the window has ended: nothing left to forgive
    expect(await limiter.hit('a')).toBe(0);
    expect(await limiter.hit('a')).toBe(0);
    expect(await limiter.hit('a')).toBe(60);
  });

  it('delays after the free failures, doubling up to the cap; a success or a quiet forgetMs clears it', async () => {
    const clock = fakeClock();
    const store = await makeStore(clock.now);
    const backoff = store.backoff('login.account', { free: 2, baseMs: 1000, maxMs: 4000, forgetMs: 60_000 });
    await backoff.fail('x');
    expect(await backoff.retryAfter('x')).toBe(0); // a free failure
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      await backoff.fail('x');
      delays.push(await backoff.retryAfter('x'));
    }
    expect(delays).toEqual([1, 2, 4, 4]); // after the free ones, 1 s × 2^(failures − free), capped at 4 s
    expect(await backoff.retryAfter('y')).toBe(0);
    clock.t += 3_500;
    expect(await backoff.retryAfter('x')).toBe(1);
    clock.t += 500;
    expect(await backoff.retryAfter('x')).toBe(0); // the delay has passed: one more attempt
    await backoff.reset('x');
    await backoff.fail('x');
    expect(await backoff.retryAfter('x')).toBe(0); // free again after a success
    await backoff.fail('x');
    expect(await backoff.retryAfter('x')).toBe(1);
    clock.t += 60_000; // a quiet forgetMs forgets them
    await backoff.fail('x');
    expect(await backoff.retryAfter('x')).toBe(0);
  });
});

describe('the PostgreSQL limit store', () => {
  it('is shared by two instances (two pools on one database): hits and failures count together', async () => {
    const clock = fakeClock();
    const db = await open();
    const other = postgresStorage(db.url, { size: 2 });
    try {
      const a = pgLimitStore(db.storage, clock.now);
      const b = pgLimitStore(other.storage, clock.now);
      const [la, lb] = [a.limiter('chat.ip', 3, 60_000), b.limiter('chat.ip', 3, 60_000)];
      expect(await la.hit('1.2.3.4')).toBe(0);
      expect(await lb.hit('1.2.3.4')).toBe(0);
      expect(await la.hit('1.2.3.4')).toBe(0);
      expect(await lb.hit('1.2.3.4')).toBe(60);
      expect(await la.retryAfter('1.2.3.4')).toBe(60);
      await lb.forgive('1.2.3.4');
      expect(await la.hit('1.2.3.4')).toBe(0);
      const opts = { free: 0, baseMs: 1000, maxMs: 60_000, forgetMs: 3_600_000 };
      const [ba, bb] = [a.backoff('login.account', opts), b.backoff('login.account', opts)];
      // Failures arriving together on both instances all count (the row is locked while one is added).
      await Promise.all([...Array(3).keys()].flatMap(() => [ba.fail('x@y.z'), bb.fail('x@y.z')]));
      expect(await bb.retryAfter('x@y.z')).toBe(60); // 6 failures: 1 s × 2^6, capped at 60 s
      await ba.reset('x@y.z');
      expect(await bb.retryAfter('x@y.z')).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('sweeps the counters whose window has ended and the failures forgotten', async () => {
    const clock = fakeClock();
    const { storage } = await open();
    const store = pgLimitStore(storage, clock.now);
    const limiter = store.limiter('chat.ip', 1, 60_000);
    const backoff = store.backoff('login.account', { free: 0, baseMs: 1000, maxMs: 60_000, forgetMs: 120_000 });
    await limiter.hit('a');
    await backoff.fail('x');
    clock.t += 60_000;
    await limiter.hit('b');
    await store.sweep();
    const db = storage.withTables<{ rate_hits: { key: string }; failure_delays: { key: string } }>();
    const keys = async () => ({
      hits: (await db.selectFrom('rate_hits').select('key').execute()).map((r) => r.key),
      failures: (await db.selectFrom('failure_delays').select('key').execute()).map((r) => r.key),
    });
    expect(await keys()).toEqual({ hits: ['b'], failures: ['x'] });
    clock.t += 60_000;
    await store.sweep();
    expect(await keys()).toEqual({ hits: [], failures: [] });
  });
});
