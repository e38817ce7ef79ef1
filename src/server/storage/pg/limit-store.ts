import { sql, type Kysely } from 'kysely';
import { failedAgain, seconds, type BackoffOptions, type Failures, type LimitStore } from '../../http/rate-limit';
import type { Database, ServerModeDatabase } from '../schema';

type LimitTables = Pick<ServerModeDatabase, 'rate_hits' | 'failure_delays'>;

/**
 * Limits shared by every instance on one database (UNLOGGED tables: counters are rebuilt within a
 * window after a crash). A limiter's `name` keeps its counters apart, so instances that build the
 * same limiter count together. Time is the app clock (`now`, ms), passed as a parameter, never
 * the database's: windows follow the clock the rest of the app (and a test) runs on.
 *
 * A rate limit is one statement per call. Its rules are RateLimiter's, without the hash
 * collisions: the window starts at a key's first hit, the (limit+1)th hit in it is refused and not
 * counted. A failure delay is Backoff's rule (`failedAgain`) read and written in one short
 * transaction, the key's row locked so that concurrent failures all count.
 *
 * `sweep()` deletes expired rows (run it every minute or so on each instance; any instance may).
 */
export function pgLimitStore(storage: Kysely<Database>, now: () => number): LimitStore & { sweep(): Promise<void> } {
  const db = storage.withTables<LimitTables>();
  // Whole milliseconds (the columns are bigint), as RateLimiter starts its windows.
  const clock = () => Math.ceil(now());
  const backoffs = new Map<string, number>();

  return {
    limiter(name, limit, windowMs) {
      // A live window of `key` at `t`: window_start + window > t.
      const live = (t: number) => sql<boolean>`window_start + ${windowMs}::bigint > ${t}::bigint`;
      return {
        async hit(key) {
          const t = clock();
          // A lapsed window restarts with this hit; in a live one the count stops at limit+1, which
          // marks this hit refused (and leaves the window as it was).
          const lapsed = sql`r.window_start + ${windowMs}::bigint <= ${t}::bigint`;
          const { rows } = await sql<{ window_start: number; count: number }>`
            INSERT INTO rate_hits AS r (name, key, window_start, count, expires_at)
            VALUES (${name}, ${key}, ${t}::bigint, 1, ${t}::bigint + ${windowMs}::bigint)
            ON CONFLICT (name, key) DO UPDATE SET
              window_start = CASE WHEN ${lapsed} THEN ${t}::bigint ELSE r.window_start END,
              count = CASE WHEN ${lapsed} THEN 1 ELSE least(r.count + 1, ${limit}::integer + 1) END,
              expires_at = CASE WHEN ${lapsed} THEN ${t}::bigint + ${windowMs}::bigint ELSE r.expires_at END
            RETURNING window_start, count`.execute(db);
          const r = rows[0]!;
          return r.count > limit ? seconds(r.window_start + windowMs - t) : 0;
        },
        async retryAfter(key) {
          const t = clock();
          const r = await db
            .selectFrom('rate_hits')
            .select('window_start')
            .where('name', '=', name)
            .where('key', '=', key)
            .where('count', '>=', limit)
            .where(live(t))
            .executeTakeFirst();
          return r ? seconds(r.window_start + windowMs - t) : 0;
        },
        async forgive(key) {
          await db
            .updateTable('rate_hits')
            .set({ count: sql`greatest(least(count, ${limit}::integer) - 1, 0)` })
            .where('name', '=', name)
            .where('key', '=', key)
            .where(live(clock()))
            .execute();
        },
        async reset(key) {
          await db.deleteFrom('rate_hits').where('name', '=', name).where('key', '=', key).execute();
        },
      };
    },

    backoff(name, opts: BackoffOptions) {
      backoffs.set(name, opts.forgetMs);
      /** The key's failures if they still count at `t` (a quiet `forgetMs` forgets them), as Backoff's `live`. */
      const live = (row: Failures | undefined, t: number) => (row && t < row.last + opts.forgetMs ? row : undefined);
      const read = (q: typeof db, key: string) =>
        q.selectFrom('failure_delays').select(['count', 'last_ms as last', 'until_ms as until']).where('name', '=', name).where('key', '=', key);
      return {
        async retryAfter(key) {
          const t = clock();
          const f = live(await read(db, key).executeTakeFirst(), t);
          return f && f.until > t ? seconds(f.until - t) : 0;
        },
        async fail(key) {
          const t = clock();
          await db.transaction().execute(async (tx) => {
            // The row exists before it is locked, so a key's first failures, arriving together, queue too.
            await tx
              .insertInto('failure_delays')
              .values({ name, key, count: 0, last_ms: t, until_ms: t })
              .onConflict((oc) => oc.columns(['name', 'key']).doNothing())
              .execute();
            const f = failedAgain(live(await read(tx, key).forUpdate().executeTakeFirst(), t), t, opts);
            await tx
              .updateTable('failure_delays')
              .set({ count: f.count, last_ms: f.last, until_ms: f.until })
              .where('name', '=', name)
              .where('key', '=', key)
              .execute();
          });
        },
        async reset(key) {
          await db.deleteFrom('failure_delays').where('name', '=', name).where('key', '=', key).execute();
        },
      };
    },

    async sweep() {
      const t = clock();
      await db.deleteFrom('rate_hits').where('expires_at', '<=', t).execute();
      for (const [name, forgetMs] of backoffs) {
        await db.deleteFrom('failure_delays').where('name', '=', name).where('last_ms', '<=', t - forgetMs).execute();
      }
    },
  };
}
