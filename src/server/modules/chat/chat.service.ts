import { randomUUID } from 'node:crypto';
import { timeOrderedUuid } from '../../ids';
import type { ChatReply, ChatSession, ReplyBasis, SessionStatus } from '../../../shared/schemas/chat';
import type { Pricebook } from '../../../shared/schemas/pricebook';
import type { Clock } from '../../clock';
import { HttpError, conflict, notFound, rateLimited } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { LimitStore } from '../../http/rate-limit';
import type { AuditRepo } from '../audit/audit.repo';
import type { CreditsService } from '../credits/credits.service';
import type { Emit, EventBus } from '../events/events.bus';
import type { FaqRepo } from '../faq/faq.repo';
import type { PersonaRow, PersonasRepo } from '../personas/personas.repo';
import type { PricebookRepo } from '../pricebook/pricebook.repo';
import { detectLanguage, notice, respond as builtinRespond, wantsHuman, type Language, type Notice, type ResponderInput, type ResponderOutput } from '../responder/builtin';
import type { BusinessCatalog } from '../responder/business';
import { cachedFaqEntries } from '../responder/faq-index';
import { cachedPassages, type Passage } from '../responder/knowledge-index';
import { settingsOf, type TenantRow, type TenantsRepo } from '../tenants/tenants.repo';
import { toMessage, toSession, type ChatRepo, type MessageRow, type SessionRow } from './chat.repo';

/** How much of the conversation a model sees (the latest messages). */
const HISTORY_MESSAGES = 12;

export type Responder = (input: ResponderInput) => ResponderOutput | Promise<ResponderOutput>;

export interface ChatLimits {
  perSessionPerMinute: number;
  /** A staff member's messages to visitors (a stuck script or a leaked token cannot flood a chat). */
  perAgentPerMinute?: number;
  perIpPerMinute: number;
}
export const DEFAULT_CHAT_LIMITS: ChatLimits = { perSessionPerMinute: 20, perIpPerMinute: 60, perAgentPerMinute: 120 };

/** Where a visitor's message came in. */
export interface VisitorChannel {
  channel: 'web' | 'widget' | 'console';
  origin: string | null;
  /** pk_test_ keys and console sessions consume no credits. */
  keyMode: 'live' | 'test' | null;
  ip: string;
  createdBy?: string | null;
}

export type ChatService = ReturnType<typeof createChatService>;

/** What an answer could draw on, fixed when the visitor's message was stored. */
interface AnswerSource {
  persona: PersonaRow | undefined;
  catalogVersion: number | null;
  pricebookVersion: number;
}

/** The receipt of one reply: the versions it read and exactly what it quoted. */
function basisOf(out: ResponderOutput, source: AnswerSource): ReplyBasis {
  const items = out.itemIds ?? [];
  return {
    responder: out.source ?? 'builtin',
    persona_id: source.persona?.id ?? null,
    persona_version: source.persona?.version ?? null,
    catalog_version: out.catalogUsed || items.length ? source.catalogVersion : null,
    pricebook_version: out.planIds.length ? source.pricebookVersion : null,
    items,
    faq_ids: out.faqId ? [out.faqId] : [],
    profile: out.profile ?? [],
    documents: out.documents ?? [],
  };
}

/** Why a visitor's question counts as unanswered (Insights), or null when Bob answered it. */
function unansweredReason(out: ResponderOutput, handedOff: boolean): 'unknown' | 'handoff' | 'fallback' | null {
  if (handedOff) return 'handoff';
  if (out.source === 'fallback') return 'fallback';
  return out.answered ? null : 'unknown';
}

/** What the responder searches besides the catalog: the business's FAQ and documents, read before answering. */
type AnswerSources = Pick<ResponderInput, 'faq' | 'knowledge'>;

/** What a preview answers with instead of what is published: a draft persona, a draft catalog. */
export interface AnswerSubject {
  persona?: PersonaRow;
  /** A business's catalog to answer from (null: none); ignored for the platform, which sells its plans. */
  catalog?: BusinessCatalog | null;
}

/** A reply computed without storing anything (answer tests): what the widget would have said. */
export interface PreviewAnswer {
  out: ResponderOutput;
  /** The receipt, as the widget's reply would carry it; null for a handoff. */
  basis: ReplyBasis | null;
}

export function createChatService(deps: {
  repo: ChatRepo;
  personas: PersonasRepo;
  faq: Pick<FaqRepo, 'version' | 'forTenant'>;
  pricebook: PricebookRepo;
  /** Each business's published catalog (the platform sells its plans instead). */
  catalog: { published(tenantId: string): BusinessCatalog | undefined };
  tenants: TenantsRepo;
  credits: CreditsService;
  /** Each business's knowledge documents, as passages. */
  knowledge?: { version(tenantId: string): Promise<string>; passages(tenantId: string): Promise<Passage[]> };
  bus: EventBus;
  audit: AuditRepo;
  clock: Clock;
  responder?: Responder;
  limits?: ChatLimits;
  limitStore: LimitStore;
}) {
  const { repo, personas, bus, clock } = deps;
  const responder = deps.responder ?? builtinRespond;
  const limits = deps.limits ?? DEFAULT_CHAT_LIMITS;
  const perSession = deps.limitStore.limiter('chat.session', limits.perSessionPerMinute, 60_000);
  const perIp = deps.limitStore.limiter('chat.ip', limits.perIpPerMinute, 60_000);
  const perAgent = deps.limitStore.limiter('chat.agent', limits.perAgentPerMinute ?? DEFAULT_CHAT_LIMITS.perAgentPerMinute!, 60_000);

  const personaOf = (s: SessionRow): PersonaRow | undefined =>
    (s.persona_id ? personas.byId(s.tenant_id, s.persona_id) : undefined) ?? personas.defaultFor(s.tenant_id);
  const publishedPricebook = (): Pricebook => {
    const pb = deps.pricebook.published();
    if (!pb) throw new HttpError(500, 'internal', 'No published pricebook');
    return pb;
  };

  function addMessage(emit: Emit, s: SessionRow, author: MessageRow['author'], body: string, by?: { id: string | null; name: string | null }, basis: ReplyBasis | null = null) {
    const row = repo.insertMessage({
      id: timeOrderedUuid(),
      tenant_id: s.tenant_id,
      session_id: s.id,
      author,
      author_id: by?.id ?? null,
      author_name: by?.name ?? null,
      body,
      created_at: clock.now().toISOString(),
      responder: basis?.responder ?? null,
      basis: basis ? JSON.stringify(basis) : null,
    });
    if (author === 'agent') repo.markAgentReplied(s.id, row.created_at);
    emit(s.tenant_id, 'message.created', { session_id: s.id, external_id: s.external_id, message: toMessage(row) }, s.id);
    return row;
  }

  function setState(emit: Emit, s: SessionRow, next: { status: SessionStatus; assigned?: string | null; streak?: number }): SessionRow {
    const at = clock.now().toISOString();
    const waiting = next.status === 'waiting_for_agent' ? (s.status === 'waiting_for_agent' ? s.waiting_since : at) : null;
    repo.setState({
      id: s.id,
      status: next.status,
      assigned_user_id: next.assigned === undefined ? s.assigned_user_id : next.assigned,
      waiting_since: waiting,
      unanswered_streak: next.streak ?? s.unanswered_streak,
      at,
    });
    const updated = repo.find(s.tenant_id, s.id)!;
    emit(s.tenant_id, 'session.updated', { session: toSession(updated) }, s.id);
    if (next.status === 'closed') emit(s.tenant_id, 'session.closed', { session: toSession(updated) }, s.id);
    return updated;
  }

  function systemNotice(emit: Emit, s: SessionRow, kind: Notice) {
    const persona = personaOf(s);
    return addMessage(emit, s, 'system', notice(kind, s.language, persona?.name ?? 'Bob'));
  }

  /** Hands the conversation to people; `visitorText` is what the visitor wrote that led here. */
  function handoff(emit: Emit, s: SessionRow, reason: 'asked' | 'unanswered' | 'credits', visitorText: string, kind: Notice = 'handoff') {
    const updated = setState(emit, s, { status: 'waiting_for_agent', streak: 0 });
    repo.markHandoff(s.id, clock.now().toISOString());
    const msg = systemNotice(emit, updated, kind);
    emit(s.tenant_id, 'handoff.requested', { session: toSession(repo.find(s.tenant_id, s.id)!), reason, message: visitorText }, s.id);
    return { session: repo.find(s.tenant_id, s.id)!, message: msg };
  }

  /** `persona`: the one that answered, when the caller has it (else read from the session). */
  function reply(s: SessionRow, message: MessageRow | null, from: ChatReply['from'], handedOff: boolean, basis: ReplyBasis | null = null, persona?: PersonaRow): ChatReply {
    return {
      session_id: s.external_id,
      message_id: message?.id ?? randomUUID(),
      reply: message?.body ?? null,
      from,
      persona: { name: (persona ?? personaOf(s))?.name ?? 'Bob' },
      status: s.status,
      handoff: handedOff,
      basis,
    };
  }

  function checkRate(tenantId: string, externalId: string, ip: string) {
    const bySession = perSession.hit(`${tenantId}|${externalId}`);
    if (bySession) throw rateLimited(bySession, 'Too many messages in this conversation. Wait a moment and try again.');
    const byIp = perIp.hit(ip);
    if (byIp) throw rateLimited(byIp, 'Too many messages from your network. Wait a moment and try again.');
  }

  /** A staff state change, audited in the same transaction. */
  function transition(auth: AuthContext, s: SessionRow, ip: string, action: string, change: (emit: Emit) => SessionRow): ChatSession {
    return bus.transaction((emit) => {
      const updated = change(emit);
      deps.audit.record({
        tenantId: s.tenant_id,
        actorId: auth.userId,
        actorEmail: auth.email,
        action,
        targetType: 'chat_session',
        targetId: s.id,
        before: { status: s.status },
        after: { status: updated.status },
        ip,
      });
      return toSession(repo.find(s.tenant_id, s.id)!);
    });
  }

  /**
   * The tenant's FAQ and documents for the responder, read before its transaction (the responder
   * is synchronous): their versions, and the entries and passages only when the responder's
   * cached index for that version is gone (else the index's own are passed back).
   */
  async function sourcesOf(tenantId: string): Promise<AnswerSources> {
    const knowledge = deps.knowledge;
    const [faqVersion, knowledgeVersion] = await Promise.all([deps.faq.version(tenantId), knowledge?.version(tenantId)]);
    const entries = cachedFaqEntries(tenantId, faqVersion) ?? (await deps.faq.forTenant(tenantId)).map((e) => ({ id: e.id, question: e.question, answer: e.answer }));
    if (!knowledge || knowledgeVersion === undefined) return { faq: { version: faqVersion, entries } };
    const passages = cachedPassages(tenantId, knowledgeVersion) ?? (await knowledge.passages(tenantId));
    return { faq: { version: faqVersion, entries }, knowledge: { version: knowledgeVersion, passages: () => passages } };
  }

  /**
   * Bob's answer to `text` from what `subject` holds (the visitor path: the published persona and
   * catalog): one way to build the responder's input, for visitors and answer tests alike.
   */
  function answer(
    tenant: TenantRow,
    text: string,
    language: Language,
    pricebook: Pricebook,
    sources: AnswerSources,
    subject: { persona: PersonaRow | undefined; catalog?: BusinessCatalog | null },
    extra: Pick<ResponderInput, 'history' | 'onToken'> = {},
  ): { answer: ResponderOutput | Promise<ResponderOutput>; source: AnswerSource } {
    const { persona } = subject;
    const settings = settingsOf(tenant);
    // Every business answers from its own catalog (null: nothing published yet); the platform from its plans.
    const catalog = tenant.is_platform ? undefined : subject.catalog !== undefined ? subject.catalog : (deps.catalog.published(tenant.id) ?? null);
    const source: AnswerSource = { persona, catalogVersion: catalog?.version ?? null, pricebookVersion: pricebook.version };
    const result = responder({
      tenantId: tenant.id,
      message: text,
      persona: { name: persona?.name ?? 'Bob', tone: persona?.tone ?? 'friendly', systemPrompt: persona?.system_prompt ?? '' },
      pricebook,
      catalog,
      profile: settings,
      now: clock.now(),
      ...sources,
      tenant: { name: tenant.name, officeHours: settings.office_hours },
      language,
      ...extra,
    });
    return { answer: result, source };
  }

  return {
    personaOf,

    /**
     * What Bob would answer a visitor writing `text` on the widget, through the same responder,
     * without a conversation, a stored message, an event or a credit (answer tests). A draft
     * persona or catalog can stand in for the published ones.
     */
    async preview(tenant: TenantRow, text: string, opts: AnswerSubject & { language?: Language } = {}): Promise<PreviewAnswer> {
      const language = detectLanguage(text, opts.language);
      const persona = opts.persona ?? personas.defaultFor(tenant.id);
      if (wantsHuman(text)) {
        return { out: { text: notice('handoff', language, persona?.name ?? 'Bob'), language, intent: 'handoff', answered: true, handoff: true, planIds: [] }, basis: null };
      }
      const sources = await sourcesOf(tenant.id);
      const { answer: pending, source } = answer(tenant, text, language, publishedPricebook(), sources, { persona, catalog: opts.catalog }, { history: () => [] });
      const out = await pending;
      return { out, basis: out.handoff ? null : basisOf(out, source) };
    },

    /** A visitor's (or a console tester's) message: stored, then answered by Bob unless a person has it. */
    async visitorMessage(tenant: TenantRow, externalId: string, text: string, via: VisitorChannel, hint?: Language, opts: { onToken?: (text: string) => void } = {}): Promise<ChatReply> {
      checkRate(tenant.id, externalId, via.ip);
      const pricebook = publishedPricebook();
      const language = detectLanguage(text, hint);
      const sources = await sourcesOf(tenant.id);

      // Store the visitor's message and decide whether Bob may answer.
      type Decision = { done: ChatReply } | { pending: Promise<ResponderOutput>; sessionId: string; free: boolean; source: AnswerSource; asked: string };
      const decide = (emit: Emit): Decision => {
        let s = repo.find(tenant.id, externalId);
        if (!s) {
          const at = clock.now().toISOString();
          repo.insertSession({
            id: timeOrderedUuid(),
            tenant_id: tenant.id,
            external_id: externalId,
            channel: via.channel,
            persona_id: personas.defaultFor(tenant.id)?.id ?? null,
            visitor_name: null,
            language,
            origin: via.origin,
            key_mode: via.keyMode,
            created_by: via.createdBy ?? null,
            at,
          });
          s = repo.find(tenant.id, externalId)!;
          emit(tenant.id, 'session.created', { session: toSession(s) }, s.id);
        } else if (s.status === 'closed') {
          s = setState(emit, s, { status: 'bot', assigned: null, streak: 0 });
        }
        if (s.language !== language) repo.setLanguage(s.id, language);
        s = { ...s, language };
        const asked = addMessage(emit, s, 'visitor', text, { id: via.createdBy ?? null, name: s.visitor_name }).id;
        if (s.status !== 'bot') return { done: reply(s, null, 'system', false) };
        if (wantsHuman(text)) {
          const h = handoff(emit, s, 'asked', text);
          return { done: reply(h.session, h.message, 'system', true) };
        }
        const free = via.keyMode === 'test' || via.channel === 'console';
        if (!free && deps.credits.state(tenant.id, tenant.plan_id, pricebook).left < pricebook.credits_per_ai_reply) {
          const h = handoff(emit, s, 'credits', text, 'credits_exhausted');
          return { done: reply(h.session, h.message, 'system', true) };
        }
        const sessionId = s.id;
        const { answer: result, source } = answer(tenant, text, language, pricebook, sources, { persona: personaOf(s) }, {
          // Read only by a model; the visitor's message just stored is the last one, sent apart.
          history: () => repo.visibleMessages(sessionId, HISTORY_MESSAGES + 1).slice(0, -1).map((m) => ({ author: m.author, body: m.body })),
          onToken: opts.onToken,
        });
        // The built-in responder answers at once: store its answer in the same transaction.
        if (!(result instanceof Promise)) return { done: store(emit, s.id, result, free, source, asked) };
        return { pending: result, sessionId: s.id, free, source, asked };
      };

      // Store Bob's answer, or hand off after two unanswerable questions in a row.
      const store = (emit: Emit, sessionId: string, out: ResponderOutput, free: boolean, source: AnswerSource, asked: string): ChatReply => {
        let s = repo.find(tenant.id, sessionId)!;
        if (s.status !== 'bot') return reply(s, null, 'system', false); // a person took over meanwhile
        s = { ...s, language: out.language };
        const streak = out.answered ? 0 : s.unanswered_streak + 1;
        const unanswered = out.handoff ? null : unansweredReason(out, streak >= 2);
        // Staff trying Bob in the console are not visitors: their questions stay out of Insights.
        if (unanswered && via.channel !== 'console') {
          repo.recordUnanswered({ tenant_id: tenant.id, session_id: s.id, message_id: asked, question: text, reason: unanswered, created_at: clock.now().toISOString() });
        }
        if (out.handoff) {
          const h = handoff(emit, s, 'asked', text);
          return reply(h.session, h.message, 'system', true);
        }
        // Bob's second "I'm not sure… would you like a person?" would ask what is already decided:
        // the visitor gets one message instead, saying plainly that a person is coming (and no AI
        // reply is charged for an answer nobody sees).
        if (streak >= 2) {
          const h = handoff(emit, s, 'unanswered', text, 'unanswered');
          return reply(h.session, h.message, 'system', true);
        }
        if (!free) deps.credits.chargeReply(emit, tenant.id, tenant.plan_id, pricebook);
        const basis = basisOf(out, source);
        const bot = addMessage(emit, s, 'bot', out.text, { id: null, name: source.persona?.name ?? 'Bob' }, basis);
        if (streak !== s.unanswered_streak) s = setState(emit, s, { status: 'bot', streak });
        return reply(s, bot, 'bot', false, basis, source.persona);
      };

      const first = await bus.batched(decide);
      if ('done' in first) return first.done;
      // A slower responder (a model) answers outside the transaction, so it never holds the database.
      const out = await first.pending;
      return bus.batched((emit) => store(emit, first.sessionId, out, first.free, first.source, first.asked));
    },

    createConsoleSession(auth: AuthContext, tenantId: string, input: { persona_id?: string; visitor_name?: string }) {
      const persona = input.persona_id ? personas.byId(tenantId, input.persona_id) : personas.defaultFor(tenantId);
      if (!persona) throw notFound('Persona');
      return bus.transaction((emit) => {
        const at = clock.now().toISOString();
        const id = randomUUID();
        repo.insertSession({
          id,
          tenant_id: tenantId,
          external_id: `console-${id}`,
          channel: 'console',
          persona_id: persona.id,
          visitor_name: input.visitor_name ?? auth.name,
          language: 'en',
          origin: null,
          key_mode: 'test',
          created_by: auth.userId,
          at,
        });
        const s = repo.find(tenantId, id)!;
        emit(tenantId, 'session.created', { session: toSession(s) }, s.id);
        return { session_id: s.external_id, status: s.status, persona: { id: persona.id, name: persona.name }, created_at: s.created_at };
      });
    },

    /** A person's message to a visitor: takes the session over if the bot had it. */
    agentMessage(auth: AuthContext, s: SessionRow, text: string) {
      if (s.status === 'closed') throw conflict('session_closed', 'This conversation is closed; the visitor has to write again to reopen it');
      const wait = perAgent.hit(auth.userId);
      if (wait) throw rateLimited(wait, 'You are sending messages too quickly. Wait a moment and try again.');
      return bus.transaction((emit) => {
        let current = s;
        if (s.status !== 'agent' || s.assigned_user_id !== auth.userId) {
          current = setState(emit, s, { status: 'agent', assigned: auth.userId, streak: 0 });
          if (s.status !== 'agent') systemNotice(emit, current, 'agent_joined');
        }
        const msg = addMessage(emit, current, 'agent', text, { id: auth.userId, name: auth.name });
        return { message_id: msg.id, status: 'agent' as const };
      });
    },

    takeover(auth: AuthContext, s: SessionRow, ip: string): ChatSession {
      if (s.status === 'closed') throw conflict('session_closed', 'This conversation is closed');
      return transition(auth, s, ip, 'chat.takeover', (emit) => {
        const updated = setState(emit, s, { status: 'agent', assigned: auth.userId, streak: 0 });
        if (s.status !== 'agent') systemNotice(emit, updated, 'agent_joined');
        return updated;
      });
    },

    release(auth: AuthContext, s: SessionRow, ip: string): ChatSession {
      if (s.status === 'closed') throw conflict('session_closed', 'This conversation is closed');
      return transition(auth, s, ip, 'chat.release', (emit) => {
        const updated = setState(emit, s, { status: 'bot', assigned: null, streak: 0 });
        // "The team member has left" only when a person actually had the conversation.
        if (s.status === 'agent') systemNotice(emit, updated, 'agent_left');
        return updated;
      });
    },

    close(auth: AuthContext, s: SessionRow, ip: string): ChatSession {
      if (s.status === 'closed') return toSession(s);
      return transition(auth, s, ip, 'chat.close', (emit) => {
        const updated = setState(emit, s, { status: 'closed', assigned: null });
        systemNotice(emit, updated, 'closed');
        return updated;
      });
    },

    addNote(auth: AuthContext, s: SessionRow, body: string) {
      return bus.transaction((emit) => toMessage(addMessage(emit, s, 'note', body, { id: auth.userId, name: auth.name })));
    },
  };
}
