-- Issue #22: retention. Conversations older than a business's retention (or the platform's
-- maximum) are removed by an hourly job, in batches; each batch that removed something records
-- its counts here, for Usage ("N conversations removed under the retention policy this month").
CREATE TABLE retention_runs (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id        TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  ran_at           TEXT NOT NULL,
  sessions_removed INTEGER NOT NULL,
  messages_removed INTEGER NOT NULL
);
CREATE INDEX retention_runs_tenant ON retention_runs(tenant_id, ran_at);

-- The sweep finds old sessions through chat_sessions_recent (tenant_id, last_message_at, id);
-- what goes with them is found by session (events_session, chat_messages_session) and, for these
-- two, through the indexes below instead of a scan of the whole table per batch.
CREATE INDEX unanswered_questions_session ON unanswered_questions(session_id);
CREATE INDEX webhook_deliveries_event ON webhook_deliveries(event_id) WHERE event_id IS NOT NULL;
