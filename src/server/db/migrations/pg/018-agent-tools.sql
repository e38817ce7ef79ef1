-- Issue #23: tools for agents (the twin of ../018-agent-tools.sql). Quick replies (canned
-- responses) per business, in English and Italian; labels per business, set on conversations;
-- and the indexes that Live's and History's filters (label, assignee, channel) use.
CREATE TABLE canned_responses (
  id         text PRIMARY KEY,
  tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  shortcut   text NOT NULL,
  title      text NOT NULL,
  body_en    text NOT NULL,
  body_it    text NOT NULL,
  created_at text NOT NULL,
  updated_at text NOT NULL,
  UNIQUE (tenant_id, shortcut)
);

CREATE TABLE chat_labels (
  id         text PRIMARY KEY,
  tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name       text NOT NULL,
  color      text NOT NULL,
  created_at text NOT NULL,
  UNIQUE (tenant_id, name)
);

-- A conversation's labels; they go with the conversation (erasure, retention) or the label.
CREATE TABLE chat_session_labels (
  session_id text NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
  label_id   text NOT NULL REFERENCES chat_labels(id) ON DELETE CASCADE,
  PRIMARY KEY (session_id, label_id)
);
CREATE INDEX chat_session_labels_label ON chat_session_labels (label_id, session_id);

-- Filters: "assigned to X" and "channel Y" in the list's order.
CREATE INDEX chat_sessions_assignee ON chat_sessions (tenant_id, assigned_user_id, last_message_at, id);
CREATE INDEX chat_sessions_channel ON chat_sessions (tenant_id, channel, last_message_at, id);
