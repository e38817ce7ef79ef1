-- PostgreSQL baseline for Bob's server mode (issue #21): the schema SQLite has after its
-- migrations 001–011, in PostgreSQL's types. The server mode (BOB_DATABASE_URL) starts an empty
-- database from it (migrate-postgres.ts, recorded as versions 1–11), then applies pg/012 onwards;
-- checked against the SQLite schema by src/server/db/pg-baseline.test.ts. Differences on purpose:
--   * JSON columns are jsonb (SQLite: TEXT CHECK json_valid), flags are boolean (SQLite: 0/1);
--   * autoincrement ids are identity columns; timestamps stay ISO-8601 text (compared as text);
--   * users.email is unique case-insensitively through an index on lower(email) (SQLite: NOCASE);
--   * insertion_seq columns give the order rows were inserted in (SQLite: rowid) where tests read it;
--   * full-text search: a generated tsvector over the accent-folded body and a GIN index, which
--     answers prefix queries itself (SQLite: FTS5, and fts5vocab to expand prefixes).
-- The database must sort text byte-wise like SQLite: create it with LC_COLLATE 'C'.

CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is STABLE (its rules could change), so the generated column needs an IMMUTABLE
-- wrapper naming its dictionary. Words are split at every non-alphanumeric character, as FTS5's
-- unicode61 tokenizer does, and lower-cased without accents.
CREATE FUNCTION bob_search_text(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, t)), '[^[:alnum:]]+', ' ', 'g');

-- For ts_headline's snippets over the original body: accents folded as in the index, so "citta" marks "Città".
CREATE TEXT SEARCH CONFIGURATION bob_search (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION bob_search ALTER MAPPING FOR asciiword, word, numword, asciihword, hword, numhword,
  hword_asciipart, hword_part, hword_numpart WITH unaccent, simple;

CREATE TABLE schema_migrations (
  version    integer PRIMARY KEY,
  name       text NOT NULL,
  applied_at text NOT NULL
);

CREATE TABLE tenants (
  id          text PRIMARY KEY,
  slug        text NOT NULL UNIQUE,
  name        text NOT NULL,
  plan_id     text NOT NULL,
  is_platform boolean NOT NULL DEFAULT false,
  settings    jsonb NOT NULL DEFAULT '{}',
  created_at  text NOT NULL,
  updated_at  text NOT NULL
);

CREATE TABLE users (
  id            text PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  email         text NOT NULL,
  name          text NOT NULL,
  role          text NOT NULL CHECK (role IN ('admin', 'owner', 'agent')),
  password_hash text,
  disabled_at   text,
  created_at    text NOT NULL,
  updated_at    text NOT NULL
);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
CREATE INDEX users_tenant ON users (tenant_id);

CREATE TABLE auth_tokens (
  id           text PRIMARY KEY,
  token_hash   text NOT NULL UNIQUE,
  user_id      text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  created_at   text NOT NULL,
  expires_at   text NOT NULL,
  revoked_at   text,
  last_used_at text,
  ip           text,
  user_agent   text
);
CREATE INDEX auth_tokens_user ON auth_tokens (user_id);

CREATE TABLE user_invites (
  token_hash text PRIMARY KEY,
  user_id    text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  created_at text NOT NULL,
  expires_at text NOT NULL,
  used_at    text
);
CREATE INDEX user_invites_user ON user_invites (user_id);

CREATE TABLE personas (
  id               text PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name             text NOT NULL,
  description      text NOT NULL DEFAULT '',
  tone             text NOT NULL DEFAULT 'friendly',
  system_prompt    text NOT NULL DEFAULT '',
  is_default       boolean NOT NULL DEFAULT false,
  version          integer NOT NULL DEFAULT 1,
  created_at       text NOT NULL,
  updated_at       text NOT NULL,
  draft            jsonb,
  draft_updated_at text
);
CREATE INDEX personas_tenant ON personas (tenant_id);
CREATE UNIQUE INDEX personas_one_default ON personas (tenant_id) WHERE is_default;

CREATE TABLE persona_versions (
  persona_id text NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
  tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  version    integer NOT NULL,
  snapshot   jsonb NOT NULL,
  actor_id   text,
  created_at text NOT NULL,
  PRIMARY KEY (persona_id, version)
);

CREATE TABLE widget_keys (
  id              text PRIMARY KEY,
  tenant_id       text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  key             text NOT NULL UNIQUE,
  label           text NOT NULL DEFAULT '',
  mode            text NOT NULL CHECK (mode IN ('live', 'test')),
  allowed_origins jsonb NOT NULL DEFAULT '[]',
  status          text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  created_at      text NOT NULL,
  last_used_at    text,
  revoked_at      text,
  expires_at      text
);
CREATE INDEX widget_keys_tenant ON widget_keys (tenant_id);

CREATE TABLE pricebook_versions (
  version              integer PRIMARY KEY,
  status               text NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
  currency             text NOT NULL,
  credits_per_ai_reply integer NOT NULL DEFAULT 1 CHECK (credits_per_ai_reply >= 0),
  plans                jsonb NOT NULL,
  created_at           text NOT NULL,
  published_at         text,
  created_by           text
);
CREATE UNIQUE INDEX pricebook_one_published ON pricebook_versions (status) WHERE status = 'published';

CREATE TABLE catalog_versions (
  tenant_id    text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  version      integer NOT NULL CHECK (version > 0),
  status       text NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
  currency     text NOT NULL,
  items        jsonb NOT NULL DEFAULT '[]',
  created_at   text NOT NULL,
  published_at text,
  created_by   text,
  PRIMARY KEY (tenant_id, version)
);
CREATE UNIQUE INDEX catalog_one_draft ON catalog_versions (tenant_id) WHERE status = 'draft';
CREATE UNIQUE INDEX catalog_one_published ON catalog_versions (tenant_id) WHERE status = 'published';

CREATE TABLE audit_log (
  id            text PRIMARY KEY,
  tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  actor_id      text,
  actor_email   text,
  action        text NOT NULL,
  target_type   text,
  target_id     text,
  before        jsonb,
  after         jsonb,
  ip            text,
  at            text NOT NULL,
  insertion_seq bigint GENERATED ALWAYS AS IDENTITY
);
CREATE INDEX audit_log_tenant_at ON audit_log (tenant_id, at);

CREATE TABLE chat_sessions (
  id                text PRIMARY KEY,
  tenant_id         text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  external_id       text NOT NULL,
  channel           text NOT NULL CHECK (channel IN ('web', 'widget', 'console')),
  status            text NOT NULL CHECK (status IN ('bot', 'waiting_for_agent', 'agent', 'closed')),
  persona_id        text REFERENCES personas(id) ON DELETE SET NULL,
  visitor_name      text,
  language          text NOT NULL DEFAULT 'en',
  origin            text,
  key_mode          text CHECK (key_mode IS NULL OR key_mode IN ('live', 'test')),
  created_by        text REFERENCES users(id) ON DELETE SET NULL,
  assigned_user_id  text REFERENCES users(id) ON DELETE SET NULL,
  unanswered_streak integer NOT NULL DEFAULT 0,
  waiting_since     text,
  last_message_at   text NOT NULL,
  last_message      text NOT NULL DEFAULT '',
  message_count     integer NOT NULL DEFAULT 0,
  created_at        text NOT NULL,
  updated_at        text NOT NULL,
  handoff_at        text,
  agent_replied_at  text,
  insertion_seq     bigint GENERATED ALWAYS AS IDENTITY,
  UNIQUE (tenant_id, external_id)
);
CREATE INDEX chat_sessions_created ON chat_sessions (tenant_id, created_at);
CREATE INDEX chat_sessions_list ON chat_sessions (tenant_id, status, last_message_at, id);
CREATE INDEX chat_sessions_recent ON chat_sessions (tenant_id, last_message_at, id);
CREATE INDEX chat_sessions_recent_all ON chat_sessions (last_message_at, id);

CREATE TABLE chat_messages (
  seq         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  id          text NOT NULL UNIQUE,
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  session_id  text NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
  author      text NOT NULL CHECK (author IN ('visitor', 'bot', 'agent', 'system', 'note')),
  author_id   text REFERENCES users(id) ON DELETE SET NULL,
  author_name text,
  body        text NOT NULL,
  created_at  text NOT NULL,
  responder   text,
  basis       jsonb,
  body_tsv    tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, bob_search_text(body))) STORED
);
CREATE INDEX chat_messages_session ON chat_messages (session_id, seq);
CREATE INDEX chat_messages_search ON chat_messages USING gin (body_tsv);

CREATE TABLE unanswered_questions (
  id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  session_id text NOT NULL REFERENCES chat_sessions(id) ON DELETE CASCADE,
  message_id text NOT NULL,
  question   text NOT NULL,
  reason     text NOT NULL CHECK (reason IN ('unknown', 'handoff', 'fallback')),
  created_at text NOT NULL
);
CREATE INDEX unanswered_questions_tenant ON unanswered_questions (tenant_id, created_at);

CREATE TABLE faq_entries (
  id         text PRIMARY KEY,
  tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  question   text NOT NULL,
  answer     text NOT NULL,
  created_at text NOT NULL,
  updated_at text NOT NULL
);
CREATE INDEX faq_entries_tenant ON faq_entries (tenant_id);

CREATE TABLE knowledge_documents (
  id         text PRIMARY KEY,
  tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  title      text NOT NULL,
  type       text NOT NULL CHECK (type IN ('markdown', 'text', 'html', 'pdf')),
  source_url text,
  size       integer NOT NULL,
  content    text NOT NULL,
  chunks     integer NOT NULL,
  created_by text REFERENCES users(id) ON DELETE SET NULL,
  created_at text NOT NULL,
  updated_at text NOT NULL,
  fetched_at text
);
CREATE INDEX knowledge_documents_tenant ON knowledge_documents (tenant_id, updated_at);

CREATE TABLE knowledge_passages (
  document_id text NOT NULL REFERENCES knowledge_documents(id) ON DELETE CASCADE,
  tenant_id   text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  seq         integer NOT NULL,
  text        text NOT NULL,
  PRIMARY KEY (document_id, seq)
);
CREATE INDEX knowledge_passages_tenant ON knowledge_passages (tenant_id);

CREATE TABLE answer_tests (
  id               text PRIMARY KEY,
  tenant_id        text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  question         text NOT NULL,
  language         text CHECK (language IS NULL OR language IN ('en', 'it')),
  must_include     jsonb NOT NULL DEFAULT '[]',
  must_not_include jsonb NOT NULL DEFAULT '[]',
  expect           text NOT NULL CHECK (expect IN ('answer', 'handoff')),
  created_at       text NOT NULL,
  updated_at       text NOT NULL
);
CREATE INDEX answer_tests_tenant ON answer_tests (tenant_id, created_at);

CREATE TABLE answer_test_runs (
  id         text PRIMARY KEY,
  tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  against    text NOT NULL CHECK (against IN ('published', 'draft')),
  trigger    text NOT NULL CHECK (trigger IN ('manual', 'catalog_publish', 'persona_publish')),
  total      integer NOT NULL,
  passed     integer NOT NULL,
  failed     integer NOT NULL,
  subject    jsonb NOT NULL,
  results    jsonb NOT NULL,
  created_by text REFERENCES users(id) ON DELETE SET NULL,
  created_at text NOT NULL
);
CREATE INDEX answer_test_runs_tenant ON answer_test_runs (tenant_id, created_at);

CREATE TABLE credit_usage (
  tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  month         text NOT NULL,
  used          integer NOT NULL DEFAULT 0,
  notified_pct  integer NOT NULL DEFAULT 0,
  insertion_seq bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (tenant_id, month)
);

CREATE TABLE events (
  id         bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  tenant_id  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  type       text NOT NULL,
  session_id text,
  data       json NOT NULL, -- json, not jsonb: kept byte for byte, so a resumed stream gets the same bytes as the live one
  created_at text NOT NULL
);
CREATE INDEX events_session ON events (session_id, id);
CREATE INDEX events_tenant ON events (tenant_id, id);

CREATE TABLE webhook_endpoints (
  id                         text PRIMARY KEY,
  tenant_id                  text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  url                        text NOT NULL,
  description                text NOT NULL DEFAULT '',
  events                     jsonb NOT NULL,
  enabled                    boolean NOT NULL DEFAULT true,
  secret                     text NOT NULL,
  previous_secret            text,
  previous_secret_expires_at text,
  disabled_reason            text,
  disabled_at                text,
  created_at                 text NOT NULL,
  updated_at                 text NOT NULL,
  dropped                    integer NOT NULL DEFAULT 0
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints (tenant_id, enabled);

CREATE TABLE webhook_deliveries (
  id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  endpoint_id     text NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  tenant_id       text NOT NULL,
  event_id        bigint,
  msg_id          text NOT NULL,
  type            text NOT NULL,
  payload         text NOT NULL, -- the exact bytes that are signed and sent: never jsonb
  status          text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at text NOT NULL,
  last_attempt_at text,
  last_status     integer,
  last_error      text,
  created_at      text NOT NULL,
  delivered_at    text
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, id);
CREATE INDEX webhook_deliveries_status ON webhook_deliveries (endpoint_id, status, id);

CREATE TABLE webhook_attempts (
  id              bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  delivery_id     bigint NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  at              text NOT NULL,
  duration_ms     integer NOT NULL,
  url             text NOT NULL,
  response_status integer,
  response_body   text,
  error           text
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts (delivery_id, id);

CREATE TABLE app_settings (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  updated_at text NOT NULL
);

-- Server mode only (several instances on one database): state SQLite keeps in the process's memory.
-- UNLOGGED: rate counters and presence are rebuilt in a minute after a crash and need no WAL.
CREATE UNLOGGED TABLE rate_hits (
  name         text NOT NULL,
  key          text NOT NULL,
  window_start bigint NOT NULL,
  count        integer NOT NULL,
  expires_at   bigint NOT NULL,
  PRIMARY KEY (name, key)
);
CREATE INDEX rate_hits_expiry ON rate_hits (expires_at);

CREATE UNLOGGED TABLE failure_delays (
  name     text NOT NULL,
  key      text NOT NULL,
  count    integer NOT NULL,
  last_ms  bigint NOT NULL,
  until_ms bigint NOT NULL,
  PRIMARY KEY (name, key)
);

CREATE UNLOGGED TABLE bob_instances (
  id         text PRIMARY KEY,
  started_at text NOT NULL,
  seen_at    timestamptz NOT NULL DEFAULT now()
);

CREATE UNLOGGED TABLE presence (
  instance_id text NOT NULL,
  tenant_id   text NOT NULL,
  platform    boolean NOT NULL,
  streams     integer NOT NULL CHECK (streams >= 0),
  PRIMARY KEY (instance_id, tenant_id)
);

-- Logged on purpose: a lease must survive a database restart, or two instances could deliver at once.
CREATE TABLE webhook_leases (
  endpoint_id text PRIMARY KEY REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  owner       text NOT NULL,
  token       bigint NOT NULL,
  until_at    timestamptz NOT NULL
);
CREATE SEQUENCE webhook_lease_token;
