-- Mission Control counts waiting/failed deliveries and finds the last delivered one per endpoint
-- every few seconds: an index by status keeps that proportional to the answer, not the log.
CREATE INDEX webhook_deliveries_status ON webhook_deliveries(endpoint_id, status, id);
-- It also finds each endpoint's oldest waiting delivery, so the partial index is not needed.
DROP INDEX webhook_deliveries_pending;
