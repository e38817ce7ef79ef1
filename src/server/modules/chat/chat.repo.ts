import type { Db } from '../../db/client';
import type { ChatMessage, ChatSession, ReplyBasis, SessionStatus } from '../../../shared/schemas/chat';
import { MATCH_END, MATCH_START } from '../../../shared/search-snippet';

export interface SessionRow {
  id: string;
  tenant_id: string;
  external_id: string;
  channel: ChatSession['channel'];
  status: SessionStatus;
  persona_id: string | null;
  persona_name: string | null;
  visitor_name: string | null;
  language: 'en' | 'it';
  origin: string | null;
  key_mode: 'live' | 'test' | null;
  created_by: string | null;
  assigned_user_id: string | null;
  unanswered_streak: number;
  waiting_since: string | null;
  last_message_at: string;
  last_message: string;
  message_count: number;
  created_at: string;
  updated_at: string;
}

export interface MessageRow {
  seq: number;
  id: string;
  tenant_id: string;
  session_id: string;
  author: ChatMessage['author'];
  author_id: string | null;
  author_name: string | null;
  body: string;
  created_at: string;
  /** Bot messages: which responder wrote it ('builtin', 'model', 'fallback'); null otherwise. */
  responder: string | null;
  /** Bot messages: what the reply was based on (ReplyBasis as JSON); null otherwise. */
  basis: string | null;
}

export const toSession = (r: SessionRow): ChatSession => ({
  id: r.id,
  session_id: r.external_id,
  tenant_id: r.tenant_id,
  channel: r.channel,
  status: r.status,
  persona: r.persona_id ? { id: r.persona_id, name: r.persona_name ?? '' } : null,
  visitor_name: r.visitor_name,
  language: r.language,
  origin: r.origin,
  assigned_user_id: r.assigned_user_id,
  waiting_since: r.waiting_since,
  last_message: r.last_message,
  last_message_at: r.last_message_at,
  message_count: r.message_count,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

export const toMessage = (r: MessageRow): ChatMessage => ({
  id: r.id,
  session_id: r.session_id,
  author: r.author,
  author_name: r.author_name,
  body: r.body,
  created_at: r.created_at,
  // Receipts stored before documents existed have no `documents`.
  basis: r.basis ? withDocuments(JSON.parse(r.basis) as Omit<ReplyBasis, 'documents'> & Partial<Pick<ReplyBasis, 'documents'>>) : null,
});

const withDocuments = (b: Omit<ReplyBasis, 'documents'> & Partial<Pick<ReplyBasis, 'documents'>>): ReplyBasis => ({ ...b, documents: b.documents ?? [] });

const SESSION_SELECT = `SELECT s.*, p.name AS persona_name FROM chat_sessions s LEFT JOIN personas p ON p.id = s.persona_id`;

export type ChatRepo = ReturnType<typeof createChatRepo>;

export function createChatRepo(db: Db) {
  const byRef = db.prepare<[string, string, string], SessionRow>(`${SESSION_SELECT} WHERE s.tenant_id = ? AND (s.id = ? OR s.external_id = ?)`);
  const insertSession = db.prepare(
    `INSERT INTO chat_sessions (id, tenant_id, external_id, channel, status, persona_id, visitor_name, language, origin, key_mode, created_by, last_message_at, created_at, updated_at)
     VALUES (@id, @tenant_id, @external_id, @channel, 'bot', @persona_id, @visitor_name, @language, @origin, @key_mode, @created_by, @at, @at, @at)`,
  );
  const setState = db.prepare(
    `UPDATE chat_sessions SET status = @status, assigned_user_id = @assigned_user_id, waiting_since = @waiting_since,
       unanswered_streak = @unanswered_streak, updated_at = @at WHERE id = @id`,
  );
  const setLanguage = db.prepare('UPDATE chat_sessions SET language = ? WHERE id = ?');
  const markHandoff = db.prepare('UPDATE chat_sessions SET handoff_at = ? WHERE id = ? AND handoff_at IS NULL');
  const markAgentReplied = db.prepare('UPDATE chat_sessions SET agent_replied_at = ? WHERE id = ? AND agent_replied_at IS NULL');
  const insertUnanswered = db.prepare(
    `INSERT INTO unanswered_questions (tenant_id, session_id, message_id, question, reason, created_at)
     VALUES (@tenant_id, @session_id, @message_id, @question, @reason, @created_at)`,
  );
  const insertMessage = db.prepare<[Omit<MessageRow, 'seq'>], MessageRow>(
    `INSERT INTO chat_messages (id, tenant_id, session_id, author, author_id, author_name, body, created_at, responder, basis)
     VALUES (@id, @tenant_id, @session_id, @author, @author_id, @author_name, @body, @created_at, @responder, @basis) RETURNING *`,
  );
  const touch = db.prepare(
    `UPDATE chat_sessions SET last_message = substr(?, 1, 200), last_message_at = ?, message_count = message_count + 1, updated_at = ? WHERE id = ?`,
  );
  const transcript = db.prepare<[string, number, number], MessageRow>(
    'SELECT * FROM chat_messages WHERE session_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
  );
  const visible = db.prepare<[string, number], MessageRow>(
    `SELECT * FROM (SELECT * FROM chat_messages WHERE session_id = ? AND author <> 'note' ORDER BY seq DESC LIMIT ?) ORDER BY seq`,
  );

  const byId = db.prepare<[string], SessionRow>(`${SESSION_SELECT} WHERE s.id = ?`);
  const channelOf = db.prepare<[string], ChatSession['channel']>('SELECT channel FROM chat_sessions WHERE id = ?').pluck();
  // The newest message of the session that matches, with the matched words between the markers.
  const match = db.prepare<[string, string, string, string], { message_id: string; snippet: string }>(
    `SELECT m.id AS message_id, snippet(chat_messages_fts, 0, ?, ?, '…', 16) AS snippet
       FROM chat_messages_fts f JOIN chat_messages m ON m.seq = f.rowid
      WHERE chat_messages_fts MATCH ? AND m.session_id = ? ORDER BY m.seq DESC LIMIT 1`,
  );
  return {
    /** Any tenant's session by uuid: only for platform admins, who work across tenants. */
    findAnyById: (id: string) => byId.get(id),
    /** A session of this tenant by its uuid or its visitor-facing session_id. */
    find: (tenantId: string, ref: string) => byRef.get(tenantId, ref, ref),
    insertSession: (s: {
      id: string;
      tenant_id: string;
      external_id: string;
      channel: SessionRow['channel'];
      persona_id: string | null;
      visitor_name: string | null;
      language: 'en' | 'it';
      origin: string | null;
      key_mode: 'live' | 'test' | null;
      created_by: string | null;
      at: string;
    }) => insertSession.run(s),
    setState: (s: { id: string; status: SessionStatus; assigned_user_id: string | null; waiting_since: string | null; unanswered_streak: number; at: string }) =>
      setState.run(s),
    setLanguage: (id: string, language: 'en' | 'it') => setLanguage.run(language, id),
    /** Outcomes: the first handoff request and the first reply from a person (later ones keep the first). */
    markHandoff: (id: string, at: string) => markHandoff.run(at, id),
    markAgentReplied: (id: string, at: string) => markAgentReplied.run(at, id),
    /** A visitor's question Bob could not answer, for Insights → unanswered. */
    recordUnanswered: (q: { tenant_id: string; session_id: string; message_id: string; question: string; reason: 'unknown' | 'handoff' | 'fallback'; created_at: string }) =>
      insertUnanswered.run(q),
    insertMessage(m: Omit<MessageRow, 'seq'>): MessageRow {
      const row = insertMessage.get(m)!;
      if (m.author !== 'note') touch.run(m.body, m.created_at, m.created_at, m.session_id);
      return row;
    },
    /** Newest first, before `beforeSeq` (exclusive). */
    transcript: (sessionId: string, beforeSeq: number, limit: number) => transcript.all(sessionId, beforeSeq, limit),
    /** What the visitor may see (no internal notes), oldest first. */
    visibleMessages: (sessionId: string, limit = 200) => visible.all(sessionId, limit),

    /** Persona try-it runs (console) are staff tests, not conversations: kept out of every list. */
    isConsole: (id: string) => channelOf.get(id) === 'console',
    /** The message of a session that a search `q` found, as a marked snippet. */
    match: (sessionId: string, q: string) => match.get(MATCH_START, MATCH_END, ftsQuery(q), sessionId),

    /** Conversations (never console try-it runs), newest activity first. */
    list(opts: { tenantId: string | null; status?: SessionStatus; q?: string; after?: { at: string; id: string }; limit: number }): SessionRow[] {
      const where: string[] = ["s.channel <> 'console'"];
      const args: unknown[] = [];
      if (opts.tenantId) {
        where.push('s.tenant_id = ?');
        args.push(opts.tenantId);
      }
      if (opts.status) {
        where.push('s.status = ?');
        args.push(opts.status);
      }
      if (opts.q) {
        where.push(`s.id IN (SELECT m.session_id FROM chat_messages_fts f JOIN chat_messages m ON m.seq = f.rowid WHERE chat_messages_fts MATCH ?)`);
        args.push(ftsQuery(opts.q));
      }
      if (opts.after) {
        where.push('(s.last_message_at < ? OR (s.last_message_at = ? AND s.id < ?))');
        args.push(opts.after.at, opts.after.at, opts.after.id);
      }
      const sql = `${SESSION_SELECT} WHERE ${where.join(' AND ')} ORDER BY s.last_message_at DESC, s.id DESC LIMIT ?`;
      return db.prepare<unknown[], SessionRow>(sql).all(...args, opts.limit);
    },
  };
}

/** Turns free text into an FTS5 query of prefix terms, so user input is never FTS syntax. */
export function ftsQuery(q: string): string {
  const terms = q.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? [];
  return terms.length ? terms.slice(0, 12).map((t) => `"${t}"*`).join(' ') : '""';
}
