-- Core tables. Every tenant-owned row carries tenant_id; the pricebook is platform-wide
-- (plans apply to every tenant) and so is the only table without it.

CREATE TABLE tenants (
  id          TEXT PRIMARY KEY,
  slug        TEXT NOT NULL UNIQUE,
  name        TEXT NOT NULL,
  plan_id     TEXT NOT NULL,
  is_platform INTEGER NOT NULL DEFAULT 0 CHECK (is_platform IN (0, 1)),
  settings    TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(settings)),
  created_at  TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  tenant_id     TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  email         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL CHECK (role IN ('admin', 'owner', 'agent')),
  password_hash TEXT,
  disabled_at   TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX users_tenant ON users(tenant_id);

-- Only the SHA-256 of a token is stored; the token itself is shown once at login.
CREATE TABLE auth_tokens (
  id           TEXT PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,
  user_id      TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  tenant_id    TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL,
  revoked_at   TEXT,
  last_used_at TEXT,
  ip           TEXT,
  user_agent   TEXT
);
CREATE INDEX auth_tokens_user ON auth_tokens(user_id);

CREATE TABLE personas (
  id            TEXT PRIMARY KEY,
  tenant_id     TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  description   TEXT NOT NULL DEFAULT '',
  tone          TEXT NOT NULL DEFAULT 'friendly',
  system_prompt TEXT NOT NULL DEFAULT '',
  is_default    INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
  version       INTEGER NOT NULL DEFAULT 1,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL
);
CREATE INDEX personas_tenant ON personas(tenant_id);
CREATE UNIQUE INDEX personas_one_default ON personas(tenant_id) WHERE is_default = 1;

-- Every saved state of a persona, so any version can be restored.
CREATE TABLE persona_versions (
  persona_id TEXT NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
  tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  version    INTEGER NOT NULL,
  snapshot   TEXT NOT NULL CHECK (json_valid(snapshot)),
  actor_id   TEXT,
  created_at TEXT NOT NULL,
  PRIMARY KEY (persona_id, version)
);

-- Publishable keys are public by design (they ship inside widget.js), so they are stored as is.
CREATE TABLE widget_keys (
  id              TEXT PRIMARY KEY,
  tenant_id       TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  key             TEXT NOT NULL UNIQUE,
  label           TEXT NOT NULL DEFAULT '',
  mode            TEXT NOT NULL CHECK (mode IN ('live', 'test')),
  allowed_origins TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(allowed_origins)),
  status          TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'revoked')),
  created_at      TEXT NOT NULL,
  last_used_at    TEXT,
  revoked_at      TEXT,
  expires_at      TEXT
);
CREATE INDEX widget_keys_tenant ON widget_keys(tenant_id);

CREATE TABLE pricebook_versions (
  version      INTEGER PRIMARY KEY,
  status       TEXT NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
  currency     TEXT NOT NULL,
  credits_per_ai_reply INTEGER NOT NULL DEFAULT 1 CHECK (credits_per_ai_reply >= 0),
  plans        TEXT NOT NULL CHECK (json_valid(plans)),
  created_at   TEXT NOT NULL,
  published_at TEXT,
  created_by   TEXT
);
CREATE UNIQUE INDEX pricebook_one_published ON pricebook_versions(status) WHERE status = 'published';

CREATE TABLE audit_log (
  id          TEXT PRIMARY KEY,
  tenant_id   TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  actor_id    TEXT,
  actor_email TEXT,
  action      TEXT NOT NULL,
  target_type TEXT,
  target_id   TEXT,
  before      TEXT CHECK (before IS NULL OR json_valid(before)),
  after       TEXT CHECK (after IS NULL OR json_valid(after)),
  ip          TEXT,
  at          TEXT NOT NULL
);
CREATE INDEX audit_log_tenant_at ON audit_log(tenant_id, at);
