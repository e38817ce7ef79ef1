import type { ChatFullText } from '../dialect';

const missing = (): never => {
  throw new Error('full-text search on PostgreSQL is not written yet');
};

/** Full-text search over chat messages on PostgreSQL (placeholder until the search lands). */
export const postgresChatText: ChatFullText = {
  indexedWords: missing,
  countMatches: missing,
  newestMatches: missing,
  snippetAt: missing,
  newestMatchIn: missing,
  matchesIn: missing,
  matchingSessions: missing,
  withWindow: missing,
  windowCondition: missing,
};
