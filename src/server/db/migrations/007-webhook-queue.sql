-- An endpoint that is off (turned off by Bob after failures, or paused by a person) keeps queueing
-- its events, up to a bound (the newest 10,000 or 30 days, whichever is smaller). What falls off
-- the queue is counted here, so Mission Control can say that events were lost and how many.
ALTER TABLE webhook_endpoints ADD COLUMN dropped INTEGER NOT NULL DEFAULT 0;
