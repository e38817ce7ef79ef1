import { CompiledQuery } from 'kysely';
import type { BobEvent } from '../../shared/events';
import type { Audit, AuditEntry } from '../modules/audit/audit.repo';
import type { Emit, EventBus } from '../modules/events/events.bus';
import type { RunLog } from '../modules/events/run-log';
import { executeCompiled, type Storage } from './sqlite';

/** What a unit of work's function is given: the repositories bound to its transaction, and `emit`. */
export type Tx<R> = R & {
  /** An event of this run: stored as the run ends, in its transaction; subscribers hear of it only after the commit. */
  emit: Emit;
  /** An entry of the business's audit log for this run's change: stored as the run ends, in its transaction. */
  audit: Audit;
};

/**
 * What a unit of work does with a run's log (its events and audit entries) as the run ends, in
 * its transaction: stores them (and what goes with the events: the webhook outbox) and returns
 * the events as stored, with their ids.
 */
export type WriteLog<R> = (tx: R, log: RunLog) => Promise<BobEvent[]>;

/**
 * A service's writes as one transaction: `uow.run(async (tx) => …)`. The events `tx.emit`s
 * are stored (with their webhook deliveries) in the same transaction and published only after
 * it commits; a run that throws is rolled back and its events are never published.
 */
export interface UnitOfWork<R> {
  run<T>(fn: (tx: Tx<R>) => Promise<T> | T): Promise<T>;
}

/** A run awaited something other than its own storage: see `SqliteUnitOfWork`. */
export class UnitOfWorkError extends Error {}

interface Job {
  fn: (tx: Tx<unknown>) => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown; events: BobEvent[] } | { ok: false; error: unknown };

// Compiled once: each run opens and ends a savepoint (Kysely's savepoint() would build and compile them every time).
const SAVEPOINT = CompiledQuery.raw('SAVEPOINT unit_of_work');
const RELEASE = CompiledQuery.raw('RELEASE unit_of_work');
const ROLLBACK_TO = CompiledQuery.raw('ROLLBACK TO unit_of_work');

/**
 * SQLite has one connection, so runs are serialized: the runs asked for in one turn of the
 * event loop share one transaction (group commit), each in its own savepoint, and run one
 * after the other; each run's promise settles once that transaction has committed. A run that
 * throws rolls back to its savepoint alone.
 *
 * better-sqlite3 answers synchronously, so a run that awaits only its storage finishes within
 * the turn that started it, and no other code can reach the connection while its transaction is
 * open (a compiled query on the root sees it open and waits, as any Kysely query does). A run that
 * awaits anything else (the network, a timer) would hold the transaction open across turns:
 * it is refused with a `UnitOfWorkError` and rolled back. Do slow work before `run`.
 * Inside a run, use only `tx`: the root `Storage` waits for the transaction to end (deadlock),
 * and so does a nested `uow.run`.
 */
export class SqliteUnitOfWork<R> implements UnitOfWork<R> {
  private queue: Job[] = [];
  private scheduled = false;
  private running = false;

  private readonly storage: Storage;
  private readonly bus: Pick<EventBus, 'publish'>;
  private readonly now: () => Date;
  private readonly repos: (db: Storage) => R;
  private readonly writeLog: WriteLog<R>;

  /**
   * `repos`: the repositories a run gets, built over its transaction; `writeLog`: writes a run's
   * events and audit entries (see `WriteLog`); `bus`: publishes the events after the commit;
   * `now`: the events' time.
   */
  constructor(deps: { storage: Storage; bus: Pick<EventBus, 'publish'>; now: () => Date; repos: (db: Storage) => R; writeLog: WriteLog<R> }) {
    ({ storage: this.storage, bus: this.bus, now: this.now, repos: this.repos, writeLog: this.writeLog } = deps);
  }

  run<T>(fn: (tx: Tx<R>) => Promise<T> | T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ fn: fn as Job['fn'], resolve: resolve as Job['resolve'], reject });
      this.schedule();
    });
  }

  private schedule() {
    if (this.scheduled || this.running || !this.queue.length) return;
    this.scheduled = true;
    // A turn of its own: nothing else is pending in it when the transaction opens.
    setImmediate(() => void this.flush());
  }

  private async flush() {
    this.scheduled = false;
    this.running = true;
    const jobs = this.queue.splice(0);
    const outcomes: Outcome[] = [];
    let turned = false;
    let tripwire: NodeJS.Immediate | undefined;
    try {
      const trx = await this.storage.startTransaction().execute();
      // Fires only if the event loop turns while the transaction is open.
      tripwire = setImmediate(() => {
        turned = true;
      });
      try {
        // The repositories over this transaction, for every run of the batch (a savepoint is on the same connection).
        const repos = this.repos(trx);
        while (jobs.length > outcomes.length && !turned) {
          const job = jobs[outcomes.length]!;
          await executeCompiled(trx, SAVEPOINT);
          const log: RunLog = { events: [], audit: [] };
          try {
            const emit: Emit = (tenantId, type, data, sessionId = null) => {
              log.events.push({ tenantId, type, data, sessionId, createdAt: this.now().toISOString() });
            };
            const audit = (entry: AuditEntry) => {
              log.audit.push(entry);
            };
            // The run's repositories with its own emit and audit (a new object per run, the repositories shared).
            const tx = Object.create(repos as object) as Tx<unknown>;
            tx.emit = emit;
            tx.audit = audit;
            const value = await job.fn(tx);
            const events = log.events.length || log.audit.length ? await this.writeLog(repos, log) : [];
            if (turned) throw new UnitOfWorkError('A unit of work awaited something other than its storage while its transaction was open');
            await executeCompiled(trx, RELEASE);
            outcomes.push({ ok: true, value, events });
          } catch (error) {
            await executeCompiled(trx, ROLLBACK_TO);
            await executeCompiled(trx, RELEASE);
            outcomes.push({ ok: false, error });
          }
        }
        await trx.commit().execute();
      } catch (error) {
        await trx.rollback().execute().catch(() => undefined);
        throw error;
      }
    } catch (error) {
      // The transaction itself failed (begin, savepoint or commit): nothing of this batch was stored.
      for (const job of jobs) job.reject(error);
      this.finish([], tripwire);
      return;
    }
    try {
      jobs.slice(0, outcomes.length).forEach((job, i) => {
        const o = outcomes[i]!;
        if (o.ok) {
          this.bus.publish(o.events);
          job.resolve(o.value);
        } else job.reject(o.error);
      });
    } finally {
      // A listener that throws must not stop the queue.
      this.finish(jobs.slice(outcomes.length), tripwire);
    }
  }

  /** Jobs a refused run left unstarted go first in the next batch. */
  private finish(unstarted: Job[], tripwire: NodeJS.Immediate | undefined) {
    if (tripwire) clearImmediate(tripwire);
    this.queue.unshift(...unstarted);
    this.running = false;
    this.schedule();
  }
}
