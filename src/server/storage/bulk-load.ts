import type { Db } from '../db/client';
import type { NewMessage } from '../modules/chat/chat.repo';
import type { ChatSessionsTable } from './schema';
import type { Selectable } from 'kysely';

/** A conversation as a bulk load writes it: every column but the ones added since (handoff_at, agent_replied_at, the seen receipts). */
export type BulkSession = Omit<Selectable<ChatSessionsTable>, 'unanswered_streak' | 'handoff_at' | 'agent_replied_at' | 'visitor_seen_at' | 'staff_seen_at'>;

/**
 * Fills a fresh database with conversations at SQLite's full speed, for benchmark fixtures (a
 * million messages in seconds): one transaction with no journal and no fsync, the messages'
 * session index and full-text trigger dropped while loading, then recreated exactly as the
 * migrations define them and the full-text index rebuilt once. Never on a database in use.
 * `load` adds messages (in the order they happened) and sessions through the two callbacks.
 */
export function bulkLoadChat(db: Db, load: (add: { message(m: NewMessage): void; session(s: BulkSession): void }) => void): void {
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -262144');
  const insertSession = db.prepare(
    `INSERT INTO chat_sessions (id, tenant_id, external_id, channel, status, persona_id, visitor_name, language, origin, key_mode, created_by,
       assigned_user_id, waiting_since, last_message_at, last_message, message_count, created_at, updated_at)
     VALUES (@id, @tenant_id, @external_id, @channel, @status, @persona_id, @visitor_name, @language, @origin, @key_mode, @created_by,
       @assigned_user_id, @waiting_since, @last_message_at, @last_message, @message_count, @created_at, @updated_at)`,
  );
  const insertMessage = db.prepare(
    `INSERT INTO chat_messages (id, tenant_id, session_id, author, author_id, author_name, body, created_at, responder, basis)
     VALUES (@id, @tenant_id, @session_id, @author, @author_id, @author_name, @body, @created_at, @responder, @basis)`,
  );
  const saved = db.prepare(`SELECT sql FROM sqlite_master WHERE name IN ('chat_messages_ai', 'chat_messages_session')`).pluck().all() as string[];
  db.exec('DROP TRIGGER chat_messages_ai; DROP INDEX chat_messages_session;');
  db.transaction(() => {
    load({ message: (m) => insertMessage.run(m), session: (s) => insertSession.run(s) });
    for (const sql of saved) db.exec(sql);
    db.exec(`INSERT INTO chat_messages_fts(chat_messages_fts) VALUES ('rebuild')`);
  })();
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
}
