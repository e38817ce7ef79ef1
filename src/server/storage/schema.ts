import type { Generated } from 'kysely';

/**
 * Every table the migrations (src/server/db/migrations) create, as stored: TEXT is a string,
 * INTEGER a number (0/1 for flags), JSON columns are their text, nullable columns `| null`.
 * `Generated<>` marks autoincrement ids and columns with a DEFAULT (optional on insert).
 * Columns with a CHECK (… IN (…)) are the union of their allowed values. The FTS5 tables
 * (chat_messages_fts*, chat_messages_vocab) are left out: only the dialect's `chatText` reaches them.
 */
export interface Database {
  schema_migrations: SchemaMigrationsTable;
  tenants: TenantsTable;
  users: UsersTable;
  auth_tokens: AuthTokensTable;
  user_invites: UserInvitesTable;
  personas: PersonasTable;
  persona_versions: PersonaVersionsTable;
  widget_keys: WidgetKeysTable;
  pricebook_versions: PricebookVersionsTable;
  catalog_versions: CatalogVersionsTable;
  audit_log: AuditLogTable;
  chat_sessions: ChatSessionsTable;
  chat_messages: ChatMessagesTable;
  unanswered_questions: UnansweredQuestionsTable;
  faq_entries: FaqEntriesTable;
  knowledge_documents: KnowledgeDocumentsTable;
  knowledge_passages: KnowledgePassagesTable;
  answer_tests: AnswerTestsTable;
  answer_test_runs: AnswerTestRunsTable;
  credit_usage: CreditUsageTable;
  events: EventsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_attempts: WebhookAttemptsTable;
  app_settings: AppSettingsTable;
  visitor_consents: VisitorConsentsTable;
  retention_runs: RetentionRunsTable;
  visitor_profiles: VisitorProfilesTable;
  csat_ratings: CsatRatingsTable;
  attachments: AttachmentsTable;
  // Issue #23, when nobody is there (migration 017).
  callback_requests: CallbackRequestsTable;
  tenant_email_settings: TenantEmailSettingsTable;
  callback_offers: CallbackOffersTable;
  canned_responses: CannedResponsesTable;
  chat_labels: ChatLabelsTable;
  chat_session_labels: ChatSessionLabelsTable;
}

export interface SchemaMigrationsTable {
  version: number;
  name: string;
  applied_at: string;
}

export interface TenantsTable {
  id: string;
  slug: string;
  name: string;
  plan_id: string;
  is_platform: Generated<number>;
  /** JSON object. */
  settings: Generated<string>;
  created_at: string;
  updated_at: string;
}

export interface UsersTable {
  id: string;
  tenant_id: string;
  email: string;
  name: string;
  role: 'admin' | 'owner' | 'agent';
  password_hash: string | null;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface AuthTokensTable {
  id: string;
  token_hash: string;
  user_id: string;
  tenant_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  last_used_at: string | null;
  ip: string | null;
  user_agent: string | null;
}

export interface UserInvitesTable {
  token_hash: string;
  user_id: string;
  tenant_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface PersonasTable {
  id: string;
  tenant_id: string;
  name: string;
  description: Generated<string>;
  tone: Generated<string>;
  system_prompt: Generated<string>;
  is_default: Generated<number>;
  version: Generated<number>;
  created_at: string;
  updated_at: string;
  /** JSON: the unpublished fields, or null. */
  draft: string | null;
  draft_updated_at: string | null;
}

export interface PersonaVersionsTable {
  persona_id: string;
  tenant_id: string;
  version: number;
  /** JSON. */
  snapshot: string;
  actor_id: string | null;
  created_at: string;
}

export interface WidgetKeysTable {
  id: string;
  tenant_id: string;
  key: string;
  label: Generated<string>;
  mode: 'live' | 'test';
  /** JSON array of origins. */
  allowed_origins: Generated<string>;
  status: Generated<'active' | 'revoked'>;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
  expires_at: string | null;
  /** HS256 secret for Bob.identify tokens (migration 019); null until generated. */
  identity_secret: string | null;
  /** 0/1: chat needs a verified identity (migration 019). */
  identity_required: Generated<number>;
}

export interface PricebookVersionsTable {
  version: number;
  status: 'draft' | 'published' | 'archived';
  currency: string;
  credits_per_ai_reply: Generated<number>;
  /** JSON. */
  plans: string;
  created_at: string;
  published_at: string | null;
  created_by: string | null;
}

export interface CatalogVersionsTable {
  tenant_id: string;
  version: number;
  status: 'draft' | 'published' | 'archived';
  currency: string;
  /** JSON array of items. */
  items: Generated<string>;
  created_at: string;
  published_at: string | null;
  created_by: string | null;
}

export interface AuditLogTable {
  id: string;
  tenant_id: string;
  actor_id: string | null;
  actor_email: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  /** JSON or null. */
  before: string | null;
  /** JSON or null. */
  after: string | null;
  ip: string | null;
  at: string;
}

export interface ChatSessionsTable {
  id: string;
  tenant_id: string;
  /** The visitor-facing session id. */
  external_id: string;
  channel: 'web' | 'widget' | 'console';
  status: 'bot' | 'waiting_for_agent' | 'agent' | 'closed';
  persona_id: string | null;
  visitor_name: string | null;
  language: Generated<string>;
  origin: string | null;
  key_mode: 'live' | 'test' | null;
  created_by: string | null;
  assigned_user_id: string | null;
  unanswered_streak: Generated<number>;
  waiting_since: string | null;
  last_message_at: string;
  last_message: Generated<string>;
  message_count: Generated<number>;
  created_at: string;
  updated_at: string;
  handoff_at: string | null;
  agent_replied_at: string | null;
  /** Seen receipts (issue #23): when the visitor, and when staff, last viewed the conversation. */
  visitor_seen_at: string | null;
  staff_seen_at: string | null;
}

export interface ChatMessagesTable {
  seq: Generated<number>;
  id: string;
  tenant_id: string;
  session_id: string;
  author: 'visitor' | 'bot' | 'agent' | 'system' | 'note';
  author_id: string | null;
  author_name: string | null;
  body: string;
  created_at: string;
  responder: string | null;
  /** JSON or null. */
  basis: string | null;
  /** The files the message carries: JSON array of {id, name, type, size}, or null (issue #23). */
  attachments: string | null;
}

export interface UnansweredQuestionsTable {
  id: Generated<number>;
  tenant_id: string;
  session_id: string;
  message_id: string;
  question: string;
  reason: 'unknown' | 'handoff' | 'fallback';
  created_at: string;
}

export interface FaqEntriesTable {
  id: string;
  tenant_id: string;
  question: string;
  answer: string;
  created_at: string;
  updated_at: string;
}

export interface KnowledgeDocumentsTable {
  id: string;
  tenant_id: string;
  title: string;
  type: 'markdown' | 'text' | 'html' | 'pdf';
  source_url: string | null;
  size: number;
  content: string;
  chunks: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  fetched_at: string | null;
}

export interface KnowledgePassagesTable {
  document_id: string;
  tenant_id: string;
  seq: number;
  text: string;
}

export interface AnswerTestsTable {
  id: string;
  tenant_id: string;
  question: string;
  language: 'en' | 'it' | null;
  /** JSON array of strings. */
  must_include: Generated<string>;
  /** JSON array of strings. */
  must_not_include: Generated<string>;
  expect: 'answer' | 'handoff';
  created_at: string;
  updated_at: string;
}

export interface AnswerTestRunsTable {
  id: string;
  tenant_id: string;
  against: 'published' | 'draft';
  trigger: 'manual' | 'catalog_publish' | 'persona_publish';
  total: number;
  passed: number;
  failed: number;
  /** JSON: the catalog and persona versions run against. */
  subject: string;
  /** JSON array of results. */
  results: string;
  created_by: string | null;
  created_at: string;
}

export interface CreditUsageTable {
  tenant_id: string;
  /** YYYY-MM. */
  month: string;
  used: Generated<number>;
  notified_pct: Generated<number>;
}

export interface EventsTable {
  id: Generated<number>;
  tenant_id: string;
  type: string;
  session_id: string | null;
  /** JSON. */
  data: string;
  created_at: string;
}

export interface WebhookEndpointsTable {
  id: string;
  tenant_id: string;
  url: string;
  description: Generated<string>;
  /** JSON array of event types. */
  events: string;
  enabled: Generated<number>;
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: string | null;
  disabled_reason: string | null;
  disabled_at: string | null;
  created_at: string;
  updated_at: string;
  dropped: Generated<number>;
}

export interface WebhookDeliveriesTable {
  id: Generated<number>;
  endpoint_id: string;
  tenant_id: string;
  /** events.id; null for a test ping. */
  event_id: number | null;
  msg_id: string;
  type: string;
  payload: string;
  status: Generated<'pending' | 'delivered' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: string;
  last_attempt_at: string | null;
  last_status: number | null;
  last_error: string | null;
  created_at: string;
  delivered_at: string | null;
}

export interface WebhookAttemptsTable {
  id: Generated<number>;
  delivery_id: number;
  at: string;
  duration_ms: number;
  url: string;
  response_status: number | null;
  response_body: string | null;
  error: string | null;
}

export interface AppSettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

/** A visitor's acceptance of a business's privacy notice (migration 012). */
export interface VisitorConsentsTable {
  id: string;
  tenant_id: string;
  /** The chat API's session_id (chat_sessions.external_id; the conversation may not exist yet). */
  session_external_id: string;
  /** The tenant's consent_version accepted. */
  version: number;
  accepted_at: string;
  /** Salted SHA-256 of the client address (never the address). */
  ip_hash: string | null;
}

/** One batch of the retention job that removed conversations of a tenant (migration 013). */
/** A file sent in a conversation (issue #23); the bytes live outside the database. */
export interface AttachmentsTable {
  id: string;
  tenant_id: string;
  session_id: string;
  message_id: string;
  name: string;
  type: string;
  size: number;
  sha256: string;
  created_at: string;
}

export interface RetentionRunsTable {
  id: Generated<number>;
  tenant_id: string;
  ran_at: string;
  sessions_removed: number;
  messages_removed: number;
}

/** Who a conversation's visitor is (migration 019): set by the site (unverified) or proven by a token. */
export interface VisitorProfilesTable {
  tenant_id: string;
  session_external_id: string;
  name: string | null;
  email: string | null;
  /** JSON object of the site's unverified attributes. */
  attributes: Generated<string>;
  identity_sub: string | null;
  verified_name: string | null;
  verified_email: string | null;
  verified_at: string | null;
  updated_at: string;
}

/** A visitor's rating of a closed conversation, one per conversation (migration 016, issue #23). */
export interface CsatRatingsTable {
  id: Generated<number>;
  tenant_id: string;
  /** chat_sessions.id (internal). */
  session_id: string;
  score: number;
  comment: string | null;
  /** The last person who replied; null when Bob alone answered. */
  agent_id: string | null;
  created_at: string;
}

/** A business's quick reply, typed as /shortcut in Live (migration 018). */
export interface CannedResponsesTable {
  id: string;
  tenant_id: string;
  shortcut: string;
  title: string;
  body_en: string;
  body_it: string;
  created_at: string;
  updated_at: string;
}

/** A business's label for conversations (migration 018). */
export interface ChatLabelsTable {
  id: string;
  tenant_id: string;
  name: string;
  color: string;
  created_at: string;
}

/** A label set on a conversation (migration 018). */
export interface ChatSessionLabelsTable {
  session_id: string;
  label_id: string;
}

/**
 * The server mode's own tables (PostgreSQL only, `migrations/pg/011-baseline.sql`): state one
 * SQLite process keeps in memory, shared by every instance. Read only by `storage/pg/*`.
 */
export interface ServerModeDatabase extends Database {
  rate_hits: { name: string; key: string; window_start: number; count: number; expires_at: number };
  failure_delays: { name: string; key: string; count: number; last_ms: number; until_ms: number };
  bob_instances: { id: string; started_at: string; seen_at: Generated<Date> };
  presence: { instance_id: string; tenant_id: string; platform: number; streams: number };
  webhook_leases: { endpoint_id: string; owner: string; token: number; until_at: Date };
}

/** Issue #23: a visitor's request to be answered later (migration 017). */
export interface CallbackRequestsTable {
  id: string;
  tenant_id: string;
  /** chat_sessions.id (internal). */
  session_id: string;
  email: string | null;
  phone: string | null;
  message: string;
  reason: 'closed' | 'no_one';
  status: Generated<'open' | 'answered'>;
  created_at: string;
  answered_at: string | null;
  /** users.id of the person who replied. */
  answered_by: string | null;
}

/** Issue #23: a business's SMTP settings; `password` never leaves the server. */
export interface TenantEmailSettingsTable {
  tenant_id: string;
  host: string;
  port: number;
  /** 0/1: TLS from the start (port 465) rather than STARTTLS. */
  secure: Generated<number>;
  username: Generated<string>;
  password: Generated<string>;
  from_address: string;
  updated_at: string;
}

/** Issue #23: a timed-out handoff (by its waiting_since) already told "nobody is here". */
export interface CallbackOffersTable {
  session_id: string;
  waiting_since: string;
  offered_at: string;
}
