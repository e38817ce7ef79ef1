-- Webhook endpoints (a plan's "integrations") and their outbox.
-- A delivery row is written in the same transaction as the event that caused it (events.bus.ts),
-- so an event is delivered if and only if its change was committed, also across a crash.
CREATE TABLE webhook_endpoints (
  id                          TEXT PRIMARY KEY,
  tenant_id                   TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  url                         TEXT NOT NULL,
  description                 TEXT NOT NULL DEFAULT '',
  events                      TEXT NOT NULL,               -- JSON array of event types
  enabled                     INTEGER NOT NULL DEFAULT 1,
  secret                      TEXT NOT NULL,               -- whsec_…, needed to sign
  previous_secret             TEXT,                        -- still signs until it expires (rotation)
  previous_secret_expires_at  TEXT,
  disabled_reason             TEXT,                        -- why Bob turned it off (410, retries exhausted)
  disabled_at                 TEXT,
  created_at                  TEXT NOT NULL,
  updated_at                  TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_tenant ON webhook_endpoints(tenant_id, enabled);

CREATE TABLE webhook_deliveries (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,      -- delivery order per endpoint
  endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints(id) ON DELETE CASCADE,
  tenant_id        TEXT NOT NULL,
  event_id         INTEGER,                                -- events.id; NULL for a test ping
  msg_id           TEXT NOT NULL,                          -- webhook-id, the same on every attempt
  type             TEXT NOT NULL,
  payload          TEXT NOT NULL,                          -- the exact body that is signed and sent
  status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts         INTEGER NOT NULL DEFAULT 0,             -- attempts in the current retry cycle
  next_attempt_at  TEXT NOT NULL,
  last_attempt_at  TEXT,
  last_status      INTEGER,
  last_error       TEXT,
  created_at       TEXT NOT NULL,
  delivered_at     TEXT
);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries(endpoint_id, id) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries(endpoint_id, id);

CREATE TABLE webhook_attempts (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  delivery_id      INTEGER NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
  at               TEXT NOT NULL,
  duration_ms      INTEGER NOT NULL,
  url              TEXT NOT NULL,
  response_status  INTEGER,
  response_body    TEXT,                                   -- first 1 KiB
  error            TEXT
);
CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id, id);
