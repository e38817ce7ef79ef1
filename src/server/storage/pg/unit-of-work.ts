import type { BobEvent } from '../../../shared/events';
import type { Emit } from '../../modules/events/events.bus';
import type { RunLog } from '../../modules/events/run-log';
import type { Storage } from '../sqlite';
import type { Tx, UnitOfWork, WriteLog } from '../unit-of-work';

const ATTEMPTS = 3;
/** Serialization failure, deadlock, unique violation: another instance's run got there first; the run is tried again. */
const RETRYABLE = new Set(['40001', '40P01', '23505']);

/**
 * PostgreSQL: each run is its own transaction on a pooled connection (runs of one instance go
 * in parallel, up to the pool's size), retried from the start when it lost a race to another
 * run (see RETRYABLE; a run's only effects are its writes and its log, so that is safe).
 *
 * Event ids follow commit order: a run that stores events takes one advisory lock just before
 * inserting them, held until its commit is visible, so the next run to store events allocates its
 * ids after every smaller id has committed (a resume by Last-Event-ID skips nothing). The ids go
 * to the other instances with NOTIFY (delivered on commit); `committed` publishes the run's events
 * here (the instance's event relay, in id order) before `run` resolves.
 */
export class PgUnitOfWork<R> implements UnitOfWork<R> {
  constructor(
    private readonly deps: {
      storage: Storage;
      now: () => Date;
      repos: (db: Storage) => R;
      writeLog: WriteLog<R>;
      committed: (events: BobEvent[]) => Promise<void>;
    },
  ) {}

  async run<T>(fn: (tx: Tx<R>) => Promise<T> | T): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const trx = await this.deps.storage.startTransaction().execute();
      let events: BobEvent[] = [];
      let value: T;
      try {
        const repos = this.deps.repos(trx);
        const log: RunLog = { events: [], audit: [] };
        const emit: Emit = (tenantId, type, data, sessionId = null) => {
          log.events.push({ tenantId, type, data, sessionId, createdAt: this.deps.now().toISOString() });
        };
        const tx = Object.create(repos as object) as Tx<R>;
        tx.emit = emit;
        tx.audit = (entry) => {
          log.audit.push(entry);
        };
        value = await fn(tx);
        // Storing the events takes their turn and announces them (postgresDialect.appendEvents).
        if (log.events.length || log.audit.length) events = await this.deps.writeLog(repos, log);
        await trx.commit().execute();
      } catch (error) {
        await trx.rollback().execute().catch(() => undefined);
        if (attempt < ATTEMPTS && RETRYABLE.has((error as { code?: string }).code ?? '')) {
          await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
          continue;
        }
        throw error;
      }
      if (events.length) await this.deps.committed(events);
      return value;
    }
  }
}
