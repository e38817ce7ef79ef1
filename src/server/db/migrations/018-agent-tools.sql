-- Issue #23: tools for agents. Quick replies (canned responses) per business, typed as /shortcut
-- in Live's composer, in English and Italian; labels per business, set on conversations; and the
-- indexes that Live's and History's filters (label, assignee, channel) use.
CREATE TABLE canned_responses (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  shortcut   TEXT NOT NULL,
  title      TEXT NOT NULL,
  body_en    TEXT NOT NULL,
  body_it    TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (tenant_id, shortcut)
);

CREATE TABLE chat_labels (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name       TEXT NOT NULL,
  color      TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (tenant_id, name)
);

-- A conversation's labels; they go with the conversation (erasure, retention) or the label.
CREATE TABLE chat_session_labels (
  session_id TEXT NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
  label_id   TEXT NOT NULL REFERENCES chat_labels(id) ON DELETE CASCADE,
  PRIMARY KEY (session_id, label_id)
);
CREATE INDEX chat_session_labels_label ON chat_session_labels(label_id, session_id);

-- Filters: "assigned to X" and "channel Y" in the list's order.
CREATE INDEX chat_sessions_assignee ON chat_sessions(tenant_id, assigned_user_id, last_message_at, id);
CREATE INDEX chat_sessions_channel ON chat_sessions(tenant_id, channel, last_message_at, id);
