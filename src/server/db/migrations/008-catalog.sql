-- Each business's own catalog (what it sells and at what price), versioned like the pricebook:
-- drafts are edited, one version is published (what the public API and Bob quote), the rest
-- are archived and never change. Items are one JSON array: a catalog is read and written whole.
CREATE TABLE catalog_versions (
  tenant_id    TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  version      INTEGER NOT NULL CHECK (version > 0),
  status       TEXT NOT NULL CHECK (status IN ('draft', 'published', 'archived')),
  currency     TEXT NOT NULL,
  items        TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(items)),
  created_at   TEXT NOT NULL,
  published_at TEXT,
  created_by   TEXT,
  PRIMARY KEY (tenant_id, version)
);
CREATE UNIQUE INDEX catalog_one_published ON catalog_versions(tenant_id) WHERE status = 'published';
CREATE UNIQUE INDEX catalog_one_draft ON catalog_versions(tenant_id) WHERE status = 'draft';
