-- Issue #23: a rating at the end of a conversation (CSAT, 1–5 and an optional comment), one per
-- conversation. `session_id` is the internal id (chat_sessions.id): when a conversation is
-- removed (retention) or erased (the visitor, privacy.manage), its rating goes with it.
-- `agent_id`: the last person who replied in it, or null when Bob alone answered.
CREATE TABLE csat_ratings (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  session_id TEXT NOT NULL UNIQUE REFERENCES chat_sessions(id) ON DELETE CASCADE,
  score      INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
  comment    TEXT,
  agent_id   TEXT REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX csat_ratings_tenant ON csat_ratings(tenant_id, created_at);
