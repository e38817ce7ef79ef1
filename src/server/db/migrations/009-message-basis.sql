-- The receipt of each of Bob's replies (JSON, see ReplyBasis): which responder, persona version,
-- catalog or pricebook version, items, FAQ entries and profile fields the answer was based on.
ALTER TABLE chat_messages ADD COLUMN basis TEXT;
