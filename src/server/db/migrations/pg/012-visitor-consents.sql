-- Issue #22: a visitor's acceptance of a business's privacy notice, per conversation (the chat
-- API's session_id, which exists before the conversation's first message) and notice version.
-- ip_hash: a salted SHA-256 of the address (the salt is this install's, in app_settings), never the address.
CREATE TABLE visitor_consents (
  id                  text PRIMARY KEY,
  tenant_id           text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  session_external_id text NOT NULL,
  version             integer NOT NULL,
  accepted_at         text NOT NULL,
  ip_hash             text
);
-- The chat gate's one read, and one acceptance per session and version (accepting again is a no-op).
CREATE UNIQUE INDEX visitor_consents_session ON visitor_consents (tenant_id, session_external_id, version);
