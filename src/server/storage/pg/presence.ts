import { sql, type Kysely } from 'kysely';
import type { Logger } from '../../logger';
import type { Presence } from '../../modules/realtime/presence';
import type { Database, ServerModeDatabase } from '../schema';

type PresenceTables = Pick<ServerModeDatabase, 'bob_instances' | 'presence'>;

const HEARTBEAT_MS = 10_000;
const SWEEP_MS = 60_000;
/** How long an instance's answers are reused per tenant: the widget config asks on every load. */
const MEMO_MS = 1_000;

/**
 * Presence shared by the instances on one database: each instance keeps its own rows (streams per
 * tenant) and says it is alive every 10 s; a tenant is online while a live instance has one of its
 * staff streams open, or one of the platform's. An instance that dies without closing stops
 * counting 30 s after its last heartbeat (database time, so instances' clocks do not matter), and
 * its rows are swept after 5 minutes.
 *
 * `opened`/`closed` return at once: their writes are chained, so they reach the database in
 * order, and a failed write is logged, never thrown into the stream that called. The counts are
 * also kept here, so that `start` (and a heartbeat that finds this instance swept, after a long
 * pause) writes them again whole.
 *
 * `start()` registers the instance (a restart under the same id replaces its old rows) and starts
 * the timers (unref'd); `close()` stops them and removes the instance and its rows.
 */
export function pgPresence(storage: Kysely<Database>, instanceId: string, logger?: Logger): Presence & { start(): Promise<void>; close(): Promise<void> } {
  const db = storage.withTables<PresenceTables>();
  const streams = new Map<string, { count: number; platform: boolean }>();
  const memo = new Map<string, { at: number; online: Promise<boolean> }>();
  let writes: Promise<void> = Promise.resolve();
  let timers: NodeJS.Timeout[] = [];
  let stopped = false;

  /** Runs `write` after the writes before it; its failure is logged. */
  function chain(what: string, write: () => Promise<unknown>): Promise<void> {
    writes = writes.then(write).then(
      () => undefined,
      (err: unknown) => logger?.error('presence could not be written', { what, instance: instanceId, err: String(err) }),
    );
    // This instance's own changes are seen by its next question at once.
    memo.clear();
    return writes;
  }

  /** This instance's row (alive now) and its rows of streams, as counted here. */
  async function register() {
    await db.transaction().execute(async (tx) => {
      await tx
        .insertInto('bob_instances')
        .values({ id: instanceId, started_at: new Date().toISOString() })
        .onConflict((oc) => oc.column('id').doUpdateSet({ seen_at: sql`now()` }))
        .execute();
      await tx.deleteFrom('presence').where('instance_id', '=', instanceId).execute();
      const rows = [...streams].filter(([, s]) => s.count > 0);
      if (rows.length > 0) {
        await tx
          .insertInto('presence')
          .values(rows.map(([tenantId, s]) => ({ instance_id: instanceId, tenant_id: tenantId, platform: s.platform ? 1 : 0, streams: s.count })))
          .execute();
      }
    });
  }

  async function heartbeat() {
    const r = await db.updateTable('bob_instances').set({ seen_at: sql`now()` }).where('id', '=', instanceId).executeTakeFirst();
    // Swept while this instance could not reach the database: it registers again, with its rows.
    if (r.numUpdatedRows === 0n) await register();
  }

  /** Instances silent for 5 minutes, and their rows. */
  async function sweep() {
    const gone = db.selectFrom('bob_instances').select('id').where('seen_at', '<', sql<Date>`now() - interval '5 minutes'`);
    await db.deleteFrom('presence').where('instance_id', 'in', gone).execute();
    await db.deleteFrom('bob_instances').where('id', 'in', gone).execute();
  }

  async function query(tenantId: string): Promise<boolean> {
    await writes;
    const { rows } = await sql<{ online: number }>`
      SELECT EXISTS (
        SELECT 1 FROM presence p JOIN bob_instances i ON i.id = p.instance_id
        WHERE p.streams > 0 AND i.seen_at > now() - interval '30 seconds' AND (p.tenant_id = ${tenantId} OR p.platform)
      ) AS online`.execute(db);
    return rows[0]!.online === 1;
  }

  const stopTimers = () => {
    for (const timer of timers) clearInterval(timer);
    timers = [];
  };

  return {
    async start() {
      stopTimers();
      stopped = false;
      await chain('start', async () => {
        await register();
        await sweep();
      });
      const every = (ms: number, what: string, run: () => Promise<void>) => {
        const timer = setInterval(() => void chain(what, run), ms);
        timer.unref();
        timers.push(timer);
      };
      every(HEARTBEAT_MS, 'heartbeat', heartbeat);
      every(SWEEP_MS, 'sweep', sweep);
    },

    async close() {
      stopTimers();
      stopped = true;
      await chain('close', async () => {
        await db.deleteFrom('presence').where('instance_id', '=', instanceId).execute();
        await db.deleteFrom('bob_instances').where('id', '=', instanceId).execute();
      });
    },

    opened(tenantId, platform) {
      const s = streams.get(tenantId) ?? { count: 0, platform };
      s.count++;
      streams.set(tenantId, s);
      if (stopped) return;
      void chain('opened', () =>
        db
          .insertInto('presence')
          .values({ instance_id: instanceId, tenant_id: tenantId, platform: platform ? 1 : 0, streams: 1 })
          .onConflict((oc) => oc.columns(['instance_id', 'tenant_id']).doUpdateSet({ streams: sql`presence.streams + 1` }))
          .execute(),
      );
    },

    closed(tenantId) {
      const s = streams.get(tenantId);
      if (s) s.count = Math.max(0, s.count - 1);
      if (stopped) return;
      void chain('closed', () =>
        db
          .updateTable('presence')
          .set({ streams: sql`greatest(streams - 1, 0)` })
          .where('instance_id', '=', instanceId)
          .where('tenant_id', '=', tenantId)
          .execute(),
      );
    },

    isOnline(tenantId) {
      const now = Date.now();
      const known = memo.get(tenantId);
      if (known && now - known.at < MEMO_MS) return known.online;
      const entry = {
        at: now,
        // Offline when the database cannot say; the next question asks again.
        online: query(tenantId).catch((err: unknown) => {
          logger?.error('presence could not be read', { instance: instanceId, err: String(err) });
          if (memo.get(tenantId) === entry) memo.delete(tenantId);
          return false;
        }),
      };
      if (memo.size >= 10_000) memo.clear();
      memo.set(tenantId, entry);
      return entry.online;
    },
  };
}
