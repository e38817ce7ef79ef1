-- Issue #23: attachments. Images and PDFs sent in a conversation (by the visitor from the widget,
-- or by a person in Live). The files live outside the database, under <data dir>/attachments/<tenant
-- id>/<id> (BOB_ATTACHMENTS_DIR overrides it); a row per file says whose it is and what it is. The
-- message that carries them lists them too (chat_messages.attachments, JSON), so a transcript needs
-- no join.
CREATE TABLE attachments (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  session_id TEXT NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
  message_id TEXT NOT NULL,
  name       TEXT NOT NULL,
  type       TEXT NOT NULL,
  size       INTEGER NOT NULL,
  sha256     TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX attachments_session ON attachments(session_id);
CREATE INDEX attachments_tenant ON attachments(tenant_id);

-- JSON array of {id, name, type, size}, or NULL for a message without files.
ALTER TABLE chat_messages ADD COLUMN attachments TEXT;
