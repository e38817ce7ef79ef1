/**
 * Messages between the instances sharing one database (PostgreSQL's LISTEN/NOTIFY): the ids of
 * newly committed events, "a webhook delivery was queued", "a setting changed". Sending is
 * `dialect.announce` inside a run (delivered on its commit); this is the receiving end. With one
 * SQLite process there is nobody else to hear from: `noNotifications`.
 */
export interface Notifications {
  /** Calls `fn` with each payload sent on `channel` (by any instance, this one included). */
  listen(channel: NotificationChannel, fn: (payload: string) => void): Promise<void>;
  /** Called after the connection was lost and is listening again: notifications sent meanwhile are gone, catch up. */
  onReconnect(fn: () => void): void;
  close(): Promise<void>;
}

/**
 * `bob_events`: "<first id>:<last id>" of a commit's events; `bob_webhooks`: deliveries queued; `bob_settings`: an app setting's key;
 * `bob_typing`: a typing indicator (JSON, ephemeral: never stored, see modules/realtime/typing.ts).
 */
export type NotificationChannel = 'bob_events' | 'bob_webhooks' | 'bob_settings' | 'bob_typing';

export const noNotifications: Notifications = {
  listen: async () => undefined,
  onReconnect: () => undefined,
  close: async () => undefined,
};
