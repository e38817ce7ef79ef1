import type { ErasureCounts } from '../../../shared/events';
import type { VisitorExport, VisitorMatch } from '../../../shared/schemas/visitors';
import type { Clock } from '../../clock';
import { notFound } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { UnitOfWork } from '../../storage/unit-of-work';
import { toMessage, toSession, type ChatRepo, type SessionRow } from '../chat/chat.repo';
import type { TenantRow } from '../tenants/tenants.repo';
import type { WebhooksRepo } from '../webhooks/webhooks.repo';
import { deleteConversations } from './delete-conversations';
import { redactDeliveryBody, redactEventData } from './redact';
import type { VisitorsRepo } from './visitors.repo';
import type { ConsentsRepo } from '../consent/consent.repo';
import type { IdentityRepo, VisitorProfileRow } from '../identity/identity.repo';

/** What the site said (unverified) and what a signed token proved about the visitor, as exported. */
const profileOf = (p: VisitorProfileRow | undefined): VisitorExport['visitor'] =>
  p
    ? {
        name: p.name,
        email: p.email,
        attributes: p.attributes ? (JSON.parse(p.attributes) as Record<string, unknown>) : {},
        verified: p.identity_sub ? { sub: p.identity_sub, name: p.verified_name, email: p.verified_email, at: p.verified_at } : null,
      }
    : null;
import type { AttachmentsRepo } from '../attachments/attachments.repo';

/** How many conversations a search returns at most (per way of matching). */
const FOUND_MAX = 50;

/** Email addresses as people write them in a chat (the exact match after the index's candidates). */
const EMAILS = /[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+/gu;
export const emailsIn = (text: string) => (text.match(EMAILS) ?? []).map((e) => e.toLowerCase());
const looksLikeEmail = (q: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(q);

/** Who asked for an erasure: a staff member, or the visitor from the widget. */
export type Eraser = { by: 'staff'; auth: AuthContext; ip: string } | { by: 'visitor'; ip: string };

export type VisitorsService = ReturnType<typeof createVisitorsService>;

type VisitorRepos = { chat: ChatRepo; webhooks: WebhooksRepo; visitors: VisitorsRepo; consents: ConsentsRepo; identity: IdentityRepo; attachments: AttachmentsRepo };

export function createVisitorsService(deps: {
  chat: ChatRepo;
  consents: ConsentsRepo;
  identity: IdentityRepo;
  uow: UnitOfWork<VisitorRepos>;
  clock: Clock;
  /** Issue #23: a conversation's files, for the export, and unlinked once its erasure committed. */
  files?: { forSession: AttachmentsRepo['forSession']; removeFiles(tenantId: string, ids: readonly string[]): Promise<void> };
}) {
  const { chat, consents, identity, uow, clock } = deps;

  const match = (s: SessionRow, matched_by: VisitorMatch['matched_by']): VisitorMatch => ({
    session_id: s.external_id,
    visitor_name: s.visitor_name,
    started_at: s.created_at,
    last_message_at: s.last_message_at,
    messages: s.message_count,
    matched_by,
  });

  /** The tenant's conversation the visitor's session id names; else 404 (another tenant's too). */
  async function sessionOf(tenantId: string, externalId: string): Promise<SessionRow> {
    const s = await chat.byExternalId(tenantId, externalId);
    if (!s) throw notFound('Visitor');
    return s;
  }

  return {
    /**
     * Conversations of this tenant by the visitor's session id (exact), an email they wrote (the
     * search index gives the candidates, the exact address is checked here) or their name
     * (ignoring case). Newest first; a conversation once, by the first way it matched.
     */
    async find(tenantId: string, q: string): Promise<VisitorMatch[]> {
      const found = new Map<string, VisitorMatch>();
      const exact = await chat.byExternalId(tenantId, q);
      if (exact && exact.channel !== 'console') found.set(exact.id, match(exact, 'session_id'));
      if (looksLikeEmail(q)) {
        const email = q.toLowerCase();
        for (const s of await chat.list({ tenantId, q, limit: FOUND_MAX })) {
          if (found.has(s.id)) continue;
          const bodies = await chat.visitorBodies(s.id);
          if (bodies.some((b) => emailsIn(b).includes(email))) found.set(s.id, match(s, 'email'));
        }
      }
      for (const s of await chat.byVisitorName(tenantId, q, FOUND_MAX)) if (!found.has(s.id)) found.set(s.id, match(s, 'name'));
      return [...found.values()].sort((a, b) => (a.last_message_at < b.last_message_at ? 1 : a.last_message_at > b.last_message_at ? -1 : 0));
    },

    /** Everything Bob holds about the visitor of this session id. */
    async export(tenant: TenantRow, externalId: string, notes: boolean): Promise<VisitorExport> {
      const s = await sessionOf(tenant.id, externalId);
      const [messages, unanswered] = await Promise.all([chat.allMessages(s.id, notes), chat.unansweredOf(s.id)]);
      return {
        format: 'bob.visitor-export/1',
        exported_at: clock.now().toISOString(),
        business: { id: tenant.id, name: tenant.name },
        session_id: s.external_id,
        includes_notes: notes,
        sessions: [toSession(s)],
        messages: messages.map(toMessage),
        unanswered_questions: unanswered,
        consents: await consents.forSession(tenant.id, s.external_id),
        visitor: profileOf(await identity.profile(tenant.id, s.external_id)),
        attachments: (await deps.files?.forSession(s.id)) ?? [],
      };
    },

    /**
     * Erases the visitor of this session id, in one unit-of-work run: the session with its
     * messages (and so the search index's entries) and unanswered questions; its events' data
     * redacted in place (the ids stay, so resumes still work and replay the redacted shape); the
     * webhook bodies of those events redacted (signed at send time, so a redelivery sends the
     * redacted body, signed). Audited and announced (`visitor.erased`) with counts only.
     */
    async erase(who: Eraser, tenantId: string, externalId: string): Promise<{ session_id: string; counts: ErasureCounts }> {
      const s = await sessionOf(tenantId, externalId);
      let files: string[] = [];
      const counts = await uow.run(async (tx) => {
        const events = await tx.visitors.eventsOf(tenantId, [s.id]);
        for (const e of events) await tx.visitors.setEventData(e.id, JSON.stringify(redactEventData(e.type, JSON.parse(e.data))));
        const deliveries = await tx.webhooks.redactDeliveries(
          events.map((e) => e.id),
          redactDeliveryBody,
        );
        const { files: gone, ...deleted } = await deleteConversations(tx, tenantId, [s]);
        files = gone;
        const counts: ErasureCounts = { ...deleted, events_redacted: events.length, deliveries_redacted: deliveries };
        tx.audit({
          tenantId,
          actorId: who.by === 'staff' ? who.auth.userId : null,
          actorEmail: who.by === 'staff' ? who.auth.email : null,
          action: 'visitor.erased',
          targetType: 'chat_session',
          targetId: s.id,
          after: { by: who.by, ...counts },
          ip: who.ip,
        });
        tx.emit(tenantId, 'visitor.erased', { session_id: s.external_id, counts }, s.id);
        return counts;
      });
      await deps.files?.removeFiles(tenantId, files);
      // The search remembers index words (maybe this visitor's) until a message is added.
      chat.forgetSearchWords();
      return { session_id: s.external_id, counts };
    },
  };
}
