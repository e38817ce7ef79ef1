-- Conversations, their messages (with full-text search), tenant FAQ, credits and the durable
-- event log that feeds the live streams (and, later, the webhook outbox).

CREATE TABLE chat_sessions (
  id                TEXT PRIMARY KEY,
  tenant_id         TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  external_id       TEXT NOT NULL,           -- the visitor-facing session_id
  channel           TEXT NOT NULL CHECK (channel IN ('web', 'widget', 'console')),
  status            TEXT NOT NULL CHECK (status IN ('bot', 'waiting_for_agent', 'agent', 'closed')),
  persona_id        TEXT REFERENCES personas(id) ON DELETE SET NULL,
  visitor_name      TEXT,
  language          TEXT NOT NULL DEFAULT 'en',
  origin            TEXT,
  key_mode          TEXT CHECK (key_mode IS NULL OR key_mode IN ('live', 'test')),
  created_by        TEXT REFERENCES users(id) ON DELETE SET NULL,
  assigned_user_id  TEXT REFERENCES users(id) ON DELETE SET NULL,
  unanswered_streak INTEGER NOT NULL DEFAULT 0,
  waiting_since     TEXT,
  last_message_at   TEXT NOT NULL,
  last_message      TEXT NOT NULL DEFAULT '',
  message_count     INTEGER NOT NULL DEFAULT 0,
  created_at        TEXT NOT NULL,
  updated_at        TEXT NOT NULL,
  UNIQUE (tenant_id, external_id)
);
CREATE INDEX chat_sessions_list ON chat_sessions(tenant_id, status, last_message_at);

CREATE TABLE chat_messages (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  id         TEXT NOT NULL UNIQUE,
  tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  session_id TEXT NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
  author     TEXT NOT NULL CHECK (author IN ('visitor', 'bot', 'agent', 'system', 'note')),
  author_id  TEXT REFERENCES users(id) ON DELETE SET NULL,
  author_name TEXT,
  body       TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX chat_messages_session ON chat_messages(session_id, seq);

CREATE VIRTUAL TABLE chat_messages_fts USING fts5(body, content='chat_messages', content_rowid='seq', tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER chat_messages_ai AFTER INSERT ON chat_messages BEGIN
  INSERT INTO chat_messages_fts(rowid, body) VALUES (new.seq, new.body);
END;
CREATE TRIGGER chat_messages_ad AFTER DELETE ON chat_messages BEGIN
  INSERT INTO chat_messages_fts(chat_messages_fts, rowid, body) VALUES ('delete', old.seq, old.body);
END;

CREATE TABLE faq_entries (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  question   TEXT NOT NULL,
  answer     TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE INDEX faq_entries_tenant ON faq_entries(tenant_id);

-- Credits used per tenant and calendar month (UTC), with the thresholds already announced.
CREATE TABLE credit_usage (
  tenant_id     TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  month         TEXT NOT NULL,  -- YYYY-MM
  used          INTEGER NOT NULL DEFAULT 0,
  notified_pct  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, month)
);

-- Every event, written in the same transaction as the change. Its id is the SSE event id
-- (Last-Event-ID resume).
CREATE TABLE events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  type       TEXT NOT NULL,
  session_id TEXT,
  data       TEXT NOT NULL CHECK (json_valid(data)),
  created_at TEXT NOT NULL
);
CREATE INDEX events_tenant ON events(tenant_id, id);
CREATE INDEX events_session ON events(session_id, id);
