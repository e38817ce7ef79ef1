// The desktop shell's logic, in plain Node so it is tested without Electron: starting the
// bundled server, and turning its events into a tray count and handoff notifications.
import type { Logger } from '../server/logger';
import { loadConfig } from '../server/config';
import type { EventOf } from '../shared/events';
import { createChatRepo } from '../server/modules/chat/chat.repo';
import { startServer, type RunningServer } from '../server/server';

export interface DesktopDirs {
  dataDir: string;
  rendererDir?: string;
  widgetDir?: string;
  migrationsDir?: string;
}

/**
 * Starts Bob where Settings → Connection says (this computer only until an admin opens it up), on
 * the preferred port (BOB_PORT, the saved one, or 4600); when another program has it, takes any
 * free port instead of failing: a desktop app must open. BOB_HOST is a server setting and is
 * ignored here, so the desktop's listening scope stays editable in Mission Control.
 */
export async function startDesktopServer(
  dirs: DesktopDirs,
  logger: Logger,
  env: NodeJS.ProcessEnv = process.env,
  /** The model API key as saved in Settings (the OS keychain), read at each call. */
  llmApiKey?: () => Promise<string | null>,
  /** better-sqlite3's Electron-ABI build (see scripts/native-binding.mjs). */
  nativeBinding?: string,
): Promise<RunningServer> {
  const { BOB_HOST: _serverOnly, ...rest } = env;
  const config = loadConfig({ ...rest, BOB_DATA_DIR: dirs.dataDir });
  return startServer({
    config,
    logger,
    rendererDir: dirs.rendererDir,
    widgetDir: dirs.widgetDir,
    migrationsDir: dirs.migrationsDir,
    llmApiKey,
    nativeBinding,
    anyPortIfTaken: true,
  });
}

export interface HandoffNote {
  title: string;
  body: string;
  /** Where a click on the notification leads in Mission Control. */
  route: string;
}

type Lang = 'en' | 'it';

export function handoffNotification(e: EventOf<'handoff.requested'>, lang: Lang): HandoffNote {
  const { session: s, message } = e.data;
  return {
    title: lang === 'it' ? 'Un visitatore chiede una persona' : 'A visitor is asking for a person',
    body: (s.visitor_name ? `${s.visitor_name}: ` : '') + message,
    route: `#/live/${s.id}`,
  };
}

export function trayTooltip(waiting: number, lang: Lang): string {
  if (lang === 'it') return waiting === 0 ? 'Bob: nessuno in attesa' : `Bob: ${waiting} in attesa di una persona`;
  return waiting === 0 ? 'Bob: nobody waiting' : `Bob: ${waiting} waiting for a person`;
}

/** Calls back with the number of conversations waiting for a person, and on each handoff. */
export function watchWaiting(running: RunningServer, on: { waiting(count: number): void; handoff(e: EventOf<'handoff.requested'>): void }): () => void {
  const chats = createChatRepo(running.database.storage, running.database.dialect);
  let last = -1;
  // Counts are read in the order asked, so the last one read is the newest. A failed read leaves
  // the count as it was until the next change.
  const refresh = () =>
    void chats.waitingCount().then(
      (n) => {
        if (n !== last) on.waiting((last = n));
      },
      () => undefined,
    );
  refresh();
  return running.app.bus.subscribe((e) => {
    if (e.type === 'handoff.requested') on.handoff(e);
    if (e.type === 'session.updated' || e.type === 'handoff.requested') refresh();
  });
}
