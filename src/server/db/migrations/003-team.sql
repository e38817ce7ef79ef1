-- One-time invitations for people added without a password (team members, new tenants' owners).
-- Only the SHA-256 of the invite token is stored.
CREATE TABLE user_invites (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  tenant_id  TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  used_at    TEXT
);
CREATE INDEX user_invites_user ON user_invites(user_id);
