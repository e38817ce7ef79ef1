import type pg from 'pg';
import type { Logger } from '../../logger';
import type { NotificationChannel, Notifications } from '../notifications';

const RETRY_MS = [250, 500, 1000, 2000, 5000];

/**
 * LISTEN on one dedicated connection (outside the pool: a pooled connection goes back to others).
 * A lost connection is opened again with growing pauses, every channel listened to again, and the
 * `onReconnect` hooks called: what was sent meanwhile is lost, they catch up from the tables.
 */
export function pgNotifications(connect: () => pg.Client, logger: Logger): Notifications {
  const handlers = new Map<string, Set<(payload: string) => void>>();
  const reconnected = new Set<() => void>();
  let client: pg.Client | undefined;
  let connecting: Promise<pg.Client> | undefined;
  let closed = false;
  let failures = 0;
  let retry: NodeJS.Timeout | undefined;

  const listenOn = (c: pg.Client, channel: string) => c.query(`LISTEN "${channel}"`);

  const open = (): Promise<pg.Client> =>
    (connecting ??= (async () => {
      const c = connect();
      c.on('notification', (m) => {
        for (const fn of handlers.get(m.channel) ?? []) {
          try {
            fn(m.payload ?? '');
          } catch (err) {
            logger.error('notification handler failed', { channel: m.channel, err: String(err) });
          }
        }
      });
      const lost = (err?: Error) => {
        if (client !== c) return;
        client = undefined;
        connecting = undefined;
        if (closed) return;
        logger.warn('database notifications lost, reconnecting', { err: err ? String(err) : 'connection ended' });
        schedule();
      };
      c.on('error', lost);
      c.on('end', () => lost());
      try {
        await c.connect();
        for (const channel of handlers.keys()) await listenOn(c, channel);
      } catch (err) {
        connecting = undefined;
        void c.end().catch(() => undefined);
        throw err;
      }
      client = c;
      return c;
    })());

  const schedule = () => {
    retry = setTimeout(() => {
      open().then(
        () => {
          failures = 0;
          logger.info('database notifications listening again');
          for (const fn of reconnected) fn();
        },
        (err: unknown) => {
          failures++;
          logger.warn('database notifications: reconnect failed', { err: String(err) });
          if (!closed) schedule();
        },
      );
    }, RETRY_MS[Math.min(failures, RETRY_MS.length - 1)]);
    retry.unref();
  };

  return {
    async listen(channel: NotificationChannel, fn) {
      const known = handlers.get(channel);
      if (known) return void known.add(fn);
      handlers.set(channel, new Set([fn]));
      // LISTEN twice is harmless: the connection being opened may or may not have seen this channel.
      await listenOn(client ?? (await open()), channel);
    },
    onReconnect(fn) {
      reconnected.add(fn);
    },
    async close() {
      closed = true;
      clearTimeout(retry);
      const c = client ?? (await connecting?.catch(() => undefined));
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
