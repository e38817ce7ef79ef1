// Automatic backups (#22): one at start when the last good one is older than a day (or there is
// none), then one a day; "Back up now" in Settings. Keeps 7 daily and 4 weekly files in the backup
// folder and deletes only Bob's own older ones (named bob-YYYY-MM-DD-HHmmss.bob-backup).
import fs from 'node:fs';
import path from 'node:path';
import type { BackupOutcome, BackupsView } from '../../../shared/schemas/backups';
import type { Clock } from '../../clock';
import { conflict } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { Logger } from '../../logger';
import type { UnitOfWork } from '../../storage/unit-of-work';
import type { AppSettingsRepo } from '../settings/app-settings.repo';

export const BACKUPS_KEY = 'backups.last';
/** Instances sharing a database: which one makes the due automatic backup, and until when it holds it. */
const CLAIM_KEY = 'backups.claim';
/** A claim outlives an instance that died mid-backup by this much. */
const CLAIM_MS = 60 * 60 * 1000;
export const BACKUP_EXTENSION = '.bob-backup';
// A second backup within the same second gets -2, -3… before the extension.
const NAME = /^bob-(\d{4})-(\d{2})-(\d{2})-(\d{2})(\d{2})(\d{2})(?:-\d+)?\.bob-backup$/;
const DAY_MS = 24 * 60 * 60 * 1000;
/** After a failure, the next automatic attempt. */
const RETRY_MS = 60 * 60 * 1000;
/** How often the timer looks whether a backup is due (the clock decides, so tests can move it). */
const CHECK_MS = 10 * 60 * 1000;
export const KEEP_DAILY = 7;
export const KEEP_WEEKLY = 4;

/** Writes one backup into the new file `to`: db/backup.ts (SQLite) or db/backup-postgres.ts (pg_dump). */
export type MakeBackup = (to: string) => Promise<{ size: number }>;

interface Stored extends BackupOutcome {
  last_ok_at: string | null;
}

export interface BackupFile {
  name: string;
  size: number;
  created_at: string;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** bob-YYYY-MM-DD-HHmmss.bob-backup, in UTC. */
export function backupFileName(at: Date): string {
  return `bob-${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())}-${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}${BACKUP_EXTENSION}`;
}

/** When a file of ours was made (from its name), or null for any other file. */
export function backupTimeOf(name: string): Date | null {
  const m = NAME.exec(name);
  if (!m) return null;
  const [, y, mo, d, h, mi, s] = m.map(Number) as number[];
  const at = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  return Number.isNaN(at.getTime()) ? null : at;
}

/** The ISO week of a day (UTC), as "YYYY-Www". */
export function isoWeek(at: Date): string {
  const d = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day); // the Thursday of this week decides its year
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((d.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${d.getUTCFullYear()}-W${pad(week)}`;
}

/**
 * The names to keep: the newest backup of each of the last 7 days that have one, then the newest of
 * each of the 4 ISO weeks before those (older than the oldest daily one). Only our own names count.
 */
export function toKeep(names: string[]): Set<string> {
  const ours = names
    .map((name) => ({ name, at: backupTimeOf(name) }))
    .filter((f): f is { name: string; at: Date } => f.at !== null)
    .sort((a, b) => b.at.getTime() - a.at.getTime());
  const keep = new Set<string>();
  const days = new Set<string>();
  let oldestDaily: string | undefined;
  for (const f of ours) {
    const day = f.at.toISOString().slice(0, 10);
    if (days.has(day) || days.size >= KEEP_DAILY) continue;
    days.add(day);
    keep.add(f.name);
    oldestDaily = day;
  }
  const weeks = new Set<string>();
  for (const f of ours) {
    if (oldestDaily === undefined || f.at.toISOString().slice(0, 10) >= oldestDaily) continue;
    const week = isoWeek(f.at);
    if (weeks.has(week) || weeks.size >= KEEP_WEEKLY) continue;
    weeks.add(week);
    keep.add(f.name);
  }
  return keep;
}

export type BackupsService = ReturnType<typeof createBackupsService>;

export function createBackupsService(deps: {
  /**
   * sqlite: the desktop's data dir; postgres: the server mode's database, with pg_dump. With several
   * instances, the last backup is shared (app_settings) and the due one is claimed (`backups.claim`,
   * taken in turns), so one instance makes it, into its own BOB_BACKUP_DIR (give them one shared folder).
   */
  mode: 'sqlite' | 'postgres';
  /** The backup folder (BOB_BACKUP_DIR, default <data dir>/backups). */
  dir: string;
  /** Automatic backups on (BOB_BACKUPS, default on). */
  automatic: boolean;
  /** How a backup is made; undefined: none can be. */
  makeBackup?: MakeBackup;
  repo: AppSettingsRepo;
  uow: UnitOfWork<{ appSettings: AppSettingsRepo }>;
  clock: Clock;
  logger: Logger;
}) {
  const { dir, clock, logger } = deps;
  const automatic = deps.automatic && deps.makeBackup !== undefined;
  let running: Promise<Stored> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  async function stored(repo: Pick<AppSettingsRepo, 'get'> = deps.repo): Promise<Stored | null> {
    const json = await repo.get(BACKUPS_KEY);
    return json ? (JSON.parse(json) as Stored) : null;
  }

  /**
   * Whether this instance makes the backup that is due now: in one run, in turns with the other
   * instances, the backup is still due and nobody holds the claim (or it expired) → claimed.
   */
  const claim = () =>
    deps.uow.run(async (tx) => {
      await tx.appSettings.takeTurns(CLAIM_KEY);
      const due = nextAt(await stored(tx.appSettings)); // none yet: due now, so read before `now`
      const now = clock.now();
      if (!due || due.getTime() > now.getTime()) return false;
      const held = await tx.appSettings.get(CLAIM_KEY);
      if (held && new Date((JSON.parse(held) as { until: string }).until).getTime() > now.getTime()) return false;
      await tx.appSettings.put(CLAIM_KEY, JSON.stringify({ until: new Date(now.getTime() + CLAIM_MS).toISOString() }), now.toISOString());
      return true;
    });

  function nextAt(last: Stored | null): Date | null {
    if (!automatic || stopped) return null;
    if (!last) return clock.now();
    const okDue = last.last_ok_at ? new Date(last.last_ok_at).getTime() + DAY_MS : 0;
    const retry = last.ok ? okDue : Math.min(okDue || Infinity, new Date(last.at).getTime() + RETRY_MS);
    return new Date(retry);
  }

  function files(): BackupFile[] {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return [];
    }
    return names
      .map((name) => ({ name, at: backupTimeOf(name) }))
      .filter((f): f is { name: string; at: Date } => f.at !== null)
      .flatMap((f) => {
        try {
          const st = fs.statSync(path.join(dir, f.name));
          return st.isFile() ? [{ name: f.name, size: st.size, created_at: f.at.toISOString() }] : [];
        } catch {
          return [];
        }
      })
      .sort((a, b) => b.created_at.localeCompare(a.created_at));
  }

  /** Deletes our own files beyond 7 daily and 4 weekly; a file that cannot go is logged and left. */
  function rotate() {
    const ours = files().map((f) => f.name);
    const keep = toKeep(ours);
    for (const name of ours) {
      if (keep.has(name)) continue;
      try {
        fs.rmSync(path.join(dir, name));
      } catch (err) {
        logger.warn('old backup could not be deleted', { file: name, err: err instanceof Error ? err.message : String(err) });
      }
    }
  }

  async function attempt(trigger: 'schedule' | 'manual'): Promise<Stored> {
    const before = await stored();
    const at = clock.now();
    let file: string | null = null;
    let outcome: Stored;
    try {
      if (!deps.makeBackup) throw new Error('This Bob was started without a way to make backups');
      fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
      file = backupFileName(at);
      for (let n = 2; fs.existsSync(path.join(dir, file)); n++) file = backupFileName(at).replace(BACKUP_EXTENSION, `-${n}${BACKUP_EXTENSION}`);
      const { size } = await deps.makeBackup(path.join(dir, file));
      outcome = { at: at.toISOString(), file, size, ok: true, trigger, last_ok_at: at.toISOString() };
      logger.info('backup written', { file, size, trigger });
      rotate();
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      outcome = { at: at.toISOString(), file, size: null, ok: false, error, trigger, last_ok_at: before?.last_ok_at ?? null };
      logger.error('backup failed', { file, trigger, error });
    }
    return outcome;
  }

  function view(last: Stored | null): BackupOutcome | null {
    if (!last) return null;
    const { last_ok_at: _ignored, ...outcome } = last;
    return outcome;
  }

  /** One backup, unless one is running; records its outcome (and the audit entry of a manual one). */
  function runOnce(trigger: 'schedule' | 'manual', record: (outcome: Stored) => Promise<void>): Promise<Stored> {
    if (running) throw conflict('backup_running', 'A backup is already running; wait for it to finish');
    const p = (async () => {
      const outcome = await attempt(trigger);
      await record(outcome);
      return outcome;
    })();
    running = p;
    void p.finally(() => {
      if (running === p) running = undefined;
    }).catch(() => undefined);
    return p;
  }

  const save = (outcome: Stored, extra?: (tx: Parameters<Parameters<typeof deps.uow.run>[0]>[0]) => void | Promise<void>) =>
    deps.uow.run(async (tx) => {
      await tx.appSettings.put(BACKUPS_KEY, JSON.stringify(outcome), clock.now().toISOString());
      await extra?.(tx);
    });
  // The outcome of the claimed backup ends the claim: the next is due a day (after a failure, an hour) later.
  const release = (tx: { appSettings: AppSettingsRepo }) => {
    const at = clock.now().toISOString();
    return tx.appSettings.put(CLAIM_KEY, JSON.stringify({ until: at }), at);
  };

  let checking: Promise<void> | undefined;
  /** The automatic backup, when it is due. */
  function tick(): Promise<void> {
    checking ??= check().finally(() => {
      checking = undefined;
    });
    return checking;
  }
  async function check(): Promise<void> {
    if (!automatic || stopped || running) return;
    try {
      const due = nextAt(await stored());
      if (!due || due.getTime() > clock.now().getTime() || !(await claim())) return;
      await runOnce('schedule', (o) => save(o, release));
    } catch (err) {
      logger.error('the automatic backup could not run or be recorded', { err: err instanceof Error ? err.message : String(err) });
    }
  }

  return {
    async view(): Promise<BackupsView> {
      const last = await stored();
      return {
        mode: deps.mode,
        automatic,
        running: running !== undefined,
        last: view(last),
        last_ok_at: last?.last_ok_at ?? null,
        next_at: nextAt(last)?.toISOString() ?? null,
        directory: deps.makeBackup ? dir : null,
        files: deps.makeBackup ? files() : [],
      };
    },

    /** "Back up now": 409 while one runs; the outcome (ok or not) is recorded and audited. */
    async runNow(auth: AuthContext, ip: string): Promise<BackupOutcome> {
      if (!deps.makeBackup) throw conflict('backups_unavailable', 'This Bob was started without a way to make backups');
      const outcome = await runOnce('manual', (o) =>
        save(o, (tx) =>
          tx.audit({ tenantId: auth.tenantId, actorId: auth.userId, actorEmail: auth.email, action: 'backup.run', targetType: 'backup', targetId: o.file, after: { file: o.file, size: o.size, ok: o.ok }, ip }),
        ),
      );
      return view(outcome)!;
    },

    /** Looks now whether a backup is due (at start), then every few minutes. */
    start() {
      if (!automatic || stopped || timer) return;
      void tick();
      timer = setInterval(() => void tick(), CHECK_MS);
      timer.unref();
    },

    /** Runs the automatic backup if it is due now (the timer's step; tests call it after moving the clock). */
    tick,

    /** Resolves once no backup is running. */
    async settled(): Promise<void> {
      while (running || checking) await (checking ?? running)!.catch(() => undefined);
    },

    /** No more automatic backups; waits for one that is running (the database closes after). */
    async stop() {
      stopped = true;
      clearInterval(timer);
      timer = undefined;
      await this.settled();
    },
  };
}
