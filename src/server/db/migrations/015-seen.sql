-- Issue #23: seen receipts. When the visitor last had the conversation open and visible in the
-- widget, and when a staff member last viewed it in Live (ISO times; null: never). Typing
-- indicators are ephemeral and never stored.
ALTER TABLE chat_sessions ADD COLUMN visitor_seen_at TEXT;
ALTER TABLE chat_sessions ADD COLUMN staff_seen_at TEXT;
