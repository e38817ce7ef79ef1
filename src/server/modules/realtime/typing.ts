// Typing indicators (issue #23): ephemeral signals between the two sides of a conversation, never
// stored as events (nothing to replay, nothing in webhooks). One SQLite process hands them to its
// own streams; instances sharing a PostgreSQL database announce them on `bob_typing` (NOTIFY) and
// each delivers what it hears (its own included) to the streams it holds.
import type { Storage } from '../../storage/sqlite';
import type { SqlDialect } from '../../storage/dialect';
import type { Notifications } from '../../storage/notifications';

export interface TypingSignal {
  tenantId: string;
  /** The visitor's id of the conversation (the visitor fan-out's key). */
  externalId: string;
  /** The conversation's internal id (what staff streams carry). */
  sessionId: string;
  by: 'visitor' | 'staff';
  /** The staff member's name (shown in the widget); null for the visitor. */
  name: string | null;
  typing: boolean;
}

/** At most this many signals per conversation side in WINDOW_MS (a client refreshes every ~3 s). */
export const TYPING_BURST = 4;
const WINDOW_MS = 2000;

export class TypingSignals {
  private readonly listeners = new Set<(s: TypingSignal) => void>();
  private readonly recent = new Map<string, number[]>();

  constructor(private readonly deps: { shared: { storage: Storage; dialect: SqlDialect; notifications: Notifications } | null; now?: () => number }) {}

  /** On PostgreSQL: listens to the other instances' signals. */
  async start(): Promise<void> {
    await this.deps.shared?.notifications.listen('bob_typing', (payload) => {
      try {
        this.deliver(JSON.parse(payload) as TypingSignal);
      } catch {
        // not ours to understand
      }
    });
  }

  /** False when the side signalled too often (the caller answers 429). */
  allow(s: Pick<TypingSignal, 'sessionId' | 'by'>): boolean {
    const now = (this.deps.now ?? Date.now)();
    const key = `${s.sessionId}\n${s.by}`;
    const times = (this.recent.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    if (this.recent.size > 10_000) this.recent.clear(); // forgotten, never unbounded
    if (times.length >= TYPING_BURST) {
      this.recent.set(key, times);
      return false;
    }
    times.push(now);
    this.recent.set(key, times);
    return true;
  }

  async send(s: TypingSignal): Promise<void> {
    const shared = this.deps.shared;
    if (shared) await shared.dialect.announce(shared.storage, 'bob_typing', JSON.stringify(s));
    else this.deliver(s);
  }

  subscribe(fn: (s: TypingSignal) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private deliver(s: TypingSignal) {
    for (const fn of this.listeners) fn(s);
  }
}
