-- Issue #23: the site's JavaScript API and identity verification.
-- Each widget key may have an identity secret (HS256, shown once in Widget Setup; stored like
-- webhook secrets, since the server needs it to verify) and may require a verified identity.
ALTER TABLE widget_keys ADD COLUMN identity_secret TEXT;
ALTER TABLE widget_keys ADD COLUMN identity_required INTEGER NOT NULL DEFAULT 0;

-- Who the visitor of a conversation is (the chat API's session_id, which exists before the
-- conversation's first message): what the site said through Bob.setVisitor (unverified), and
-- the identity a signed token proved through Bob.identify (tenant + sub, verified).
CREATE TABLE visitor_profiles (
  tenant_id           TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  session_external_id TEXT NOT NULL,
  name                TEXT,
  email               TEXT,
  attributes          TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(attributes)),
  identity_sub        TEXT,
  verified_name       TEXT,
  verified_email      TEXT,
  verified_at         TEXT,
  updated_at          TEXT NOT NULL,
  PRIMARY KEY (tenant_id, session_external_id)
);
-- A verified visitor's conversations on any device.
CREATE INDEX visitor_profiles_identity ON visitor_profiles(tenant_id, identity_sub) WHERE identity_sub IS NOT NULL;
