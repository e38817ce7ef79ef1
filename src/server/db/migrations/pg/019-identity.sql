-- Issue #23: the site's JavaScript API and identity verification (the twin of ../019-identity.sql).
-- Each widget key may have an identity secret (HS256, shown once in Widget Setup; stored like
-- webhook secrets, since the server needs it to verify) and may require a verified identity.
ALTER TABLE widget_keys ADD COLUMN identity_secret text;
ALTER TABLE widget_keys ADD COLUMN identity_required boolean NOT NULL DEFAULT false;

-- Who the visitor of a conversation is: what the site said through Bob.setVisitor (unverified),
-- and the identity a signed token proved through Bob.identify (tenant + sub, verified).
CREATE TABLE visitor_profiles (
  tenant_id           text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  session_external_id text NOT NULL,
  name                text,
  email               text,
  attributes          jsonb NOT NULL DEFAULT '{}'::jsonb,
  identity_sub        text,
  verified_name       text,
  verified_email      text,
  verified_at         text,
  updated_at          text NOT NULL,
  PRIMARY KEY (tenant_id, session_external_id)
);
-- A verified visitor's conversations on any device.
CREATE INDEX visitor_profiles_identity ON visitor_profiles (tenant_id, identity_sub) WHERE identity_sub IS NOT NULL;
