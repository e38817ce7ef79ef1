-- Issue #23: attachments (the twin of ../014-attachments.sql). The files live outside the database,
-- under <data dir>/attachments/<tenant id>/<id>, or BOB_ATTACHMENTS_DIR: instances sharing one
-- PostgreSQL database must share that folder too. A row per file; the message lists them as well.
CREATE TABLE attachments (
  id         text PRIMARY KEY,
  tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  session_id text NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
  message_id text NOT NULL,
  name       text NOT NULL,
  type       text NOT NULL,
  size       bigint NOT NULL,
  sha256     text NOT NULL,
  created_at text NOT NULL
);
CREATE INDEX attachments_session ON attachments (session_id);
CREATE INDEX attachments_tenant ON attachments (tenant_id);

-- JSON array of {id, name, type, size}, or NULL for a message without files.
ALTER TABLE chat_messages ADD COLUMN attachments jsonb;
