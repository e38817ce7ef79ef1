-- What a business knows beyond its FAQ: documents (uploaded files, typed text, imported pages),
-- stored as readable text and split into passages the responder retrieves per business.
CREATE TABLE knowledge_documents (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  title       TEXT NOT NULL,
  type        TEXT NOT NULL CHECK (type IN ('markdown', 'text', 'html', 'pdf')),
  source_url  TEXT,                -- imported pages: where to fetch it again
  size        INTEGER NOT NULL,    -- bytes of what was uploaded or fetched
  content     TEXT NOT NULL,       -- the readable text
  chunks      INTEGER NOT NULL,
  created_by  TEXT REFERENCES users(id) ON DELETE SET NULL,
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  fetched_at  TEXT
);
CREATE INDEX knowledge_documents_tenant ON knowledge_documents(tenant_id, updated_at);

CREATE TABLE knowledge_passages (
  document_id TEXT NOT NULL REFERENCES knowledge_documents(id) ON DELETE CASCADE,
  tenant_id   TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  seq         INTEGER NOT NULL,
  text        TEXT NOT NULL,
  PRIMARY KEY (document_id, seq)
);
CREATE INDEX knowledge_passages_tenant ON knowledge_passages(tenant_id);

-- Answer tests: questions with what the answer must and must not say, run in bulk against the
-- published or the draft catalog and persona; every run is kept with its results.
CREATE TABLE answer_tests (
  id               TEXT PRIMARY KEY,
  tenant_id        TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  question         TEXT NOT NULL,
  language         TEXT CHECK (language IS NULL OR language IN ('en', 'it')),
  must_include     TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(must_include)),
  must_not_include TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(must_not_include)),
  expect           TEXT NOT NULL CHECK (expect IN ('answer', 'handoff')),
  created_at       TEXT NOT NULL,
  updated_at       TEXT NOT NULL
);
CREATE INDEX answer_tests_tenant ON answer_tests(tenant_id, created_at);

CREATE TABLE answer_test_runs (
  id         TEXT PRIMARY KEY,
  tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  against    TEXT NOT NULL CHECK (against IN ('published', 'draft')),
  trigger    TEXT NOT NULL CHECK (trigger IN ('manual', 'catalog_publish', 'persona_publish')),
  total      INTEGER NOT NULL,
  passed     INTEGER NOT NULL,
  failed     INTEGER NOT NULL,
  subject    TEXT NOT NULL CHECK (json_valid(subject)),   -- the catalog and persona versions run against
  results    TEXT NOT NULL CHECK (json_valid(results)),
  created_by TEXT REFERENCES users(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX answer_test_runs_tenant ON answer_test_runs(tenant_id, created_at);

-- A persona's unpublished edits (JSON of name, description, tone, systemPrompt); null: none.
ALTER TABLE personas ADD COLUMN draft TEXT CHECK (draft IS NULL OR json_valid(draft));
ALTER TABLE personas ADD COLUMN draft_updated_at TEXT;

-- Questions Bob could not answer: its honest "I don't know", the handoff after two of them, or a
-- model answer that could not be used. The visitor's words are kept for grouping in Insights.
CREATE TABLE unanswered_questions (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  session_id TEXT NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
  message_id TEXT NOT NULL,          -- the visitor's message
  question   TEXT NOT NULL,
  reason     TEXT NOT NULL CHECK (reason IN ('unknown', 'handoff', 'fallback')),
  created_at TEXT NOT NULL
);
CREATE INDEX unanswered_questions_tenant ON unanswered_questions(tenant_id, created_at);

-- How each conversation went, for Insights → outcomes: the first handoff request and the first
-- reply from a person. Back-filled from the event log and the messages.
ALTER TABLE chat_sessions ADD COLUMN handoff_at TEXT;
ALTER TABLE chat_sessions ADD COLUMN agent_replied_at TEXT;
UPDATE chat_sessions SET
  handoff_at = (SELECT MIN(e.created_at) FROM events e WHERE e.session_id = chat_sessions.id AND e.type = 'handoff.requested'),
  agent_replied_at = (SELECT MIN(m.created_at) FROM chat_messages m WHERE m.session_id = chat_sessions.id AND m.author = 'agent');
CREATE INDEX chat_sessions_created ON chat_sessions(tenant_id, created_at);
