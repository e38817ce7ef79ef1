-- Issue #23, when nobody is there: a visitor's request to be answered later (out of hours, or a
-- handoff nobody took in time), the business's SMTP settings for the reply by email, and which
-- timed-out handoffs were already told "nobody is here".
CREATE TABLE callback_requests (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  -- The conversation: erased with it (its contact and message are the visitor's data).
  session_id  TEXT NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
  email       TEXT,
  phone       TEXT,
  message     TEXT NOT NULL,
  reason      TEXT NOT NULL CHECK (reason IN ('closed', 'no_one')),
  status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered')),
  created_at  TEXT NOT NULL,
  answered_at TEXT,
  answered_by TEXT
);
CREATE INDEX callback_requests_queue ON callback_requests(tenant_id, status, created_at);
CREATE INDEX callback_requests_session ON callback_requests(session_id);

-- One row per business; the password is never returned by the API, logged or audited.
CREATE TABLE tenant_email_settings (
  tenant_id    TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  host         TEXT NOT NULL,
  port         INTEGER NOT NULL,
  secure       INTEGER NOT NULL DEFAULT 0,
  username     TEXT NOT NULL DEFAULT '',
  password     TEXT NOT NULL DEFAULT '',
  from_address TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);

-- A handoff (its waiting_since) already told "nobody is here": the periodic check tells it once.
CREATE TABLE callback_offers (
  session_id    TEXT NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
  waiting_since TEXT NOT NULL,
  offered_at    TEXT NOT NULL,
  PRIMARY KEY (session_id, waiting_since)
);
