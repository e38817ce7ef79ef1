-- Which responder wrote each bot message: 'builtin', 'model', or 'fallback' (the model failed or
-- quoted an unpublished price, and the built-in responder answered instead). Usage reads it.
ALTER TABLE chat_messages ADD COLUMN responder TEXT;

-- Server-wide settings edited in Mission Control (key → JSON). Secrets never go here: the model
-- API key lives in the OS keychain (desktop) or BOB_LLM_API_KEY.
CREATE TABLE app_settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
