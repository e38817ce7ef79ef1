import type { AttachmentsRepo } from '../attachments/attachments.repo';
import type { ChatRepo } from '../chat/chat.repo';
import type { ConsentsRepo } from '../consent/consent.repo';
import type { IdentityRepo } from '../identity/identity.repo';

/** The repositories of a unit-of-work run that hold a conversation's data. */
export type ConversationRepos = { attachments: AttachmentsRepo; chat: ChatRepo; consents: ConsentsRepo; identity: IdentityRepo };

/**
 * Deletes, in the caller's run, everything stored of these conversations of a tenant but their
 * events (an erasure redacts those, the retention policy removes them): the rows of their files,
 * their messages (and so their search entries), unanswered questions and sessions, the visitor's
 * consent records and what the site said about them. The one list both the erasure of a visitor
 * and the retention job use, so a new kind of visitor data is forgotten by both. Returns the counts
 * and the files to unlink once the run committed.
 */
export async function deleteConversations(tx: ConversationRepos, tenantId: string, sessions: readonly { id: string; external_id: string }[]) {
  const ids = sessions.map((s) => s.id);
  const externalIds = sessions.map((s) => s.external_id);
  const files = await tx.attachments.deleteOfSessions(tenantId, ids);
  const deleted = await tx.chat.deleteSessions(tenantId, ids);
  const consents = await tx.consents.forget(tenantId, externalIds);
  await tx.identity.forget(tenantId, externalIds);
  return { ...deleted, consents, files };
}
