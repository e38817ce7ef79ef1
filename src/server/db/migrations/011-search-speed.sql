-- Issue #19: the sessions list and search at a million messages.
-- The list is ordered by (last_message_at, id) newest first, within a tenant, optionally by status:
-- indexes in exactly that order let it read one page and stop, instead of sorting every session.
-- Platform admins list every tenant: (last_message_at, id) alone.
DROP INDEX IF EXISTS chat_sessions_list;
CREATE INDEX chat_sessions_list ON chat_sessions(tenant_id, status, last_message_at, id);
CREATE INDEX chat_sessions_recent ON chat_sessions(tenant_id, last_message_at, id);
CREATE INDEX chat_sessions_recent_all ON chat_sessions(last_message_at, id);

-- The words of the message index, so a search prefix ("pri") becomes the few words it stands for
-- ("price" OR "pricing"): FTS5 reads those in rowid order and stops after a page, where a prefix
-- query first copies every matching entry into one list. No storage of its own.
CREATE VIRTUAL TABLE chat_messages_vocab USING fts5vocab(chat_messages_fts, 'row');
