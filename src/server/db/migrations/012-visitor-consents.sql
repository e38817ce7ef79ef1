-- Issue #22: a visitor's acceptance of a business's privacy notice, per conversation (the chat
-- API's session_id, which exists before the conversation's first message) and notice version.
-- ip_hash: a salted SHA-256 of the address (the salt is this install's, in app_settings), never the address.
CREATE TABLE visitor_consents (
  id                  TEXT PRIMARY KEY,
  tenant_id           TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  session_external_id TEXT NOT NULL,
  version             INTEGER NOT NULL,
  accepted_at         TEXT NOT NULL,
  ip_hash             TEXT
);
-- The chat gate's one read, and one acceptance per session and version (accepting again is a no-op).
CREATE UNIQUE INDEX visitor_consents_session ON visitor_consents(tenant_id, session_external_id, version);
