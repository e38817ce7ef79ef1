-- Issue #23, when nobody is there (the twin of ../017-callbacks.sql): a visitor's request to be answered later (out of hours, or a
-- handoff nobody took in time), the business's SMTP settings for the reply by email, and which
-- timed-out handoffs were already told "nobody is here".
CREATE TABLE callback_requests (
  id          text PRIMARY KEY,
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  -- The conversation: erased with it (its contact and message are the visitor's data).
  session_id  text NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
  email       text,
  phone       text,
  message     text NOT NULL,
  reason      text NOT NULL CHECK (reason IN ('closed', 'no_one')),
  status      text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered')),
  created_at  text NOT NULL,
  answered_at text,
  answered_by text
);
CREATE INDEX callback_requests_queue ON callback_requests (tenant_id, status, created_at);
CREATE INDEX callback_requests_session ON callback_requests (session_id);

-- One row per business; the password is never returned by the API, logged or audited.
CREATE TABLE tenant_email_settings (
  tenant_id    text PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
  host         text NOT NULL,
  port         integer NOT NULL,
  secure       integer NOT NULL DEFAULT 0,
  username     text NOT NULL DEFAULT '',
  password     text NOT NULL DEFAULT '',
  from_address text NOT NULL,
  updated_at   text NOT NULL
);

-- A handoff (its waiting_since) already told "nobody is here": the periodic check tells it once.
CREATE TABLE callback_offers (
  session_id    text NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
  waiting_since text NOT NULL,
  offered_at    text NOT NULL,
  PRIMARY KEY (session_id, waiting_since)
);
