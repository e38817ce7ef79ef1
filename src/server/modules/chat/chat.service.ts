import { randomUUID } from 'node:crypto';
import { timeOrderedUuid } from '../../ids';
import type { BobEvent } from '../../../shared/events';
import type { ChatMessage, ChatReply, ChatSession, MessageAttachment, ReplyBasis, SessionStatus } from '../../../shared/schemas/chat';
import type { Pricebook } from '../../../shared/schemas/pricebook';
import type { Clock } from '../../clock';
import { HttpError, conflict, notFound, rateLimited } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { LimitStore } from '../../http/rate-limit';
import type { CreditsRepo } from '../credits/credits.repo';
import type { CreditsService } from '../credits/credits.service';
import type { FaqRepo } from '../faq/faq.repo';
import type { PersonaRow, PersonasRepo } from '../personas/personas.repo';
import type { PricebookRepo } from '../pricebook/pricebook.repo';
import { detectLanguage, notice, respond as builtinRespond, wantsHuman, type Language, type Notice, type ResponderInput, type ResponderOutput } from '../responder/builtin';
import type { BusinessCatalog } from '../responder/business';
import { cachedFaqEntries } from '../responder/faq-index';
import { cachedPassages, type Passage } from '../responder/knowledge-index';
import { settingsOf, type TenantRow, type TenantsRepo } from '../tenants/tenants.repo';
import type { Tx, UnitOfWork } from '../../storage/unit-of-work';
import { lastMessage, toMessage, toSession, type ChatRepo, type MessageRow, type SessionRow, type StoredSession } from './chat.repo';

/** Bob closes a conversation he alone had after this long without a message (issue #23). */
export const IDLE_CLOSE_MS = 30 * 60_000;
const IDLE_CLOSE_BATCH = 200;

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

/** A console session's visitor-facing id: its uuid behind a prefix. */
const consoleExternalId = (id: string) => `console-${id}`;

/**
 * Whether an event is about a persona try-it run (a console session), from the event alone: the
 * session it carries says its channel; a message's visitor-facing id is the console one built
 * from its session's uuid (which no visitor can know).
 */
export function isConsoleRun(e: BobEvent): boolean {
  switch (e.type) {
    case 'session.created':
    case 'session.updated':
    case 'session.closed':
    case 'handoff.requested':
    case 'session.assigned':
      return e.data.session.channel === 'console';
    case 'message.created':
      return e.data.external_id === consoleExternalId(e.data.session_id);
    default:
      return false;
  }
}

/** Each business's published catalog (the platform sells its plans instead). */
type PublishedCatalogs = { published(tenantId: string): Promise<BusinessCatalog | undefined> };

/** What the chat service's runs use. */
export type ChatRepos = { chat: ChatRepo; personas: PersonasRepo; catalog: PublishedCatalogs; credits: CreditsRepo; pricebook: PricebookRepo };
/** A unit of work's run, as the chat service uses it. */
export type ChatTx = Tx<ChatRepos>;
/** A file a message carries, as the message stores it (issue #23: the attachments module). */
export type MessageFile = Omit<MessageAttachment, 'url'>;

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
  /** Reads outside a unit of work. */
  repo: ChatRepo;
  uow: UnitOfWork<ChatRepos>;
  /** Reads outside a unit of work (inside one: the run's). */
  personas: PersonasRepo;
  faq: Pick<FaqRepo, 'version' | 'forTenant'>;
  pricebook: PricebookRepo;
  catalog: PublishedCatalogs;
  tenants: TenantsRepo;
  credits: CreditsService;
  /** Each business's knowledge documents, as passages. */
  knowledge?: { version(tenantId: string): Promise<string>; passages(tenantId: string): Promise<Passage[]> };
  clock: Clock;
  responder?: Responder;
  limits?: ChatLimits;
  limitStore: LimitStore;
  /** The consent gate (issue #22): throws 403 consent_required when the business asks for an acceptance this conversation has not given. */
  consent?: { check(tenant: TenantRow, externalId: string): Promise<void> };
  /** Bob's public address: the links of a message's files in its event (webhooks) are absolute (issue #23). */
  publicUrl?: () => string;
}) {
  const { repo, uow, personas, clock } = deps;
  const responder = deps.responder ?? builtinRespond;
  const limits = deps.limits ?? DEFAULT_CHAT_LIMITS;
  const perSession = deps.limitStore.limiter('chat.session', limits.perSessionPerMinute, 60_000);
  const perIp = deps.limitStore.limiter('chat.ip', limits.perIpPerMinute, 60_000);
  const perAgent = deps.limitStore.limiter('chat.agent', limits.perAgentPerMinute ?? DEFAULT_CHAT_LIMITS.perAgentPerMinute!, 60_000);

  const personaOf = async (r: PersonasRepo, s: SessionRow): Promise<PersonaRow | undefined> =>
    (s.persona_id ? await r.byId(s.tenant_id, s.persona_id) : undefined) ?? (await r.defaultFor(s.tenant_id));
  /** `r`: where to read (inside a run, the run's repo). */
  const publishedPricebook = async (r: Pick<PricebookRepo, 'published'> = deps.pricebook): Promise<Pricebook> => {
    const pb = await r.published();
    if (!pb) throw new HttpError(500, 'internal', 'No published pricebook');
    return pb;
  };

  /** A message's file links made absolute, for its event (webhooks, streams). */
  const withLinks = (m: ChatMessage): ChatMessage => (deps.publicUrl ? { ...m, attachments: m.attachments?.map((a) => ({ ...a, url: `${deps.publicUrl!()}${a.url}` })) } : m);

  /** The session as stored after a write, with the persona's name it had. */
  const withPersona = (stored: StoredSession, s: SessionRow): SessionRow => ({ ...stored, persona_name: s.persona_name });

  /** Stores a message; `session`: the session after it (its last message, count, time). */
  async function addMessage(t: ChatTx, s: SessionRow, author: MessageRow['author'], body: string, by?: { id: string | null; name: string | null }, basis: ReplyBasis | null = null, files?: MessageFile[]) {
    const created_at = clock.now().toISOString();
    const message = await t.chat.insertMessage({
      id: timeOrderedUuid(),
      tenant_id: s.tenant_id,
      session_id: s.id,
      author,
      author_id: by?.id ?? null,
      author_name: by?.name ?? null,
      body,
      created_at,
      responder: basis?.responder ?? null,
      basis: basis ? JSON.stringify(basis) : null,
      ...(files?.length && { attachments: JSON.stringify(files) }),
    });
    if (author === 'agent') await t.chat.markAgentReplied(s.id, created_at);
    t.emit(s.tenant_id, 'message.created', { session_id: s.id, external_id: s.external_id, message: files?.length ? withLinks(toMessage(message)) : toMessage(message) }, s.id);
    // The session as the insert left it (a note changes nothing).
    const session = author === 'note' ? s : { ...s, last_message: lastMessage(body), last_message_at: created_at, message_count: s.message_count + 1, updated_at: created_at };
    return { message, session };
  }

  async function setState(t: ChatTx, s: SessionRow, next: { status: SessionStatus; assigned?: string | null; streak?: number }): Promise<SessionRow> {
    const at = clock.now().toISOString();
    const waiting = next.status === 'waiting_for_agent' ? (s.status === 'waiting_for_agent' ? s.waiting_since : at) : null;
    const updated = withPersona(
      await t.chat.setState({
        id: s.id,
        status: next.status,
        assigned_user_id: next.assigned === undefined ? s.assigned_user_id : next.assigned,
        waiting_since: waiting,
        unanswered_streak: next.streak ?? s.unanswered_streak,
        at,
      }),
      s,
    );
    t.emit(s.tenant_id, 'session.updated', { session: toSession(updated) }, s.id);
    if (next.status === 'closed') t.emit(s.tenant_id, 'session.closed', { session: toSession(updated) }, s.id);
    return updated;
  }

  async function systemNotice(t: ChatTx, s: SessionRow, kind: Notice) {
    const persona = await personaOf(t.personas, s);
    return addMessage(t, s, 'system', notice(kind, s.language, persona?.name ?? 'Bob'));
  }

  /** Hands the conversation to people; `visitorText` is what the visitor wrote that led here. */
  async function handoff(t: ChatTx, s: SessionRow, reason: 'asked' | 'unanswered' | 'credits', visitorText: string, kind: Notice = 'handoff') {
    const updated = await setState(t, s, { status: 'waiting_for_agent', streak: 0 });
    await t.chat.markHandoff(s.id, clock.now().toISOString());
    const { message, session } = await systemNotice(t, updated, kind);
    t.emit(s.tenant_id, 'handoff.requested', { session: toSession(session), reason, message: visitorText }, s.id);
    return { session, message };
  }

  /** `persona`: the one that answered, when the caller has it (else read from the session). */
  async function reply(t: ChatTx, s: SessionRow, message: MessageRow | null, from: ChatReply['from'], handedOff: boolean, basis: ReplyBasis | null = null, persona?: PersonaRow): Promise<ChatReply> {
    return {
      session_id: s.external_id,
      message_id: message?.id ?? randomUUID(),
      reply: message?.body ?? null,
      from,
      persona: { name: (persona ?? (await personaOf(t.personas, s)))?.name ?? 'Bob' },
      status: s.status,
      handoff: handedOff,
      basis,
    };
  }

  async function checkRate(tenantId: string, externalId: string, ip: string) {
    const bySession = await perSession.hit(`${tenantId}|${externalId}`);
    if (bySession) throw rateLimited(bySession, 'Too many messages in this conversation. Wait a moment and try again.');
    const byIp = await perIp.hit(ip);
    if (byIp) throw rateLimited(byIp, 'Too many messages from your network. Wait a moment and try again.');
  }

  /** A staff state change, audited in the same transaction. */
  function transition(auth: AuthContext, s: SessionRow, ip: string, action: string, change: (t: ChatTx) => Promise<SessionRow>): Promise<ChatSession> {
    return uow.run(async (t) => {
      const updated = await change(t);
      t.audit({
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
      return toSession(updated);
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
   * The catalog a tenant answers from: `given` (a draft) if any, else what the business has
   * published (null: nothing yet), read through `catalogs` (inside a run, the run's repo); none
   * for the platform, which answers from its plans.
   */
  async function catalogOf(catalogs: PublishedCatalogs, tenant: TenantRow, given?: BusinessCatalog | null): Promise<BusinessCatalog | null | undefined> {
    if (tenant.is_platform) return undefined;
    return given !== undefined ? given : ((await catalogs.published(tenant.id)) ?? null);
  }

  /**
   * Bob's answer to `text` from what `subject` holds (the visitor path: the published persona and
   * catalog, as `catalogOf` gives it): one way to build the responder's input, for visitors and
   * answer tests alike.
   */
  function answer(
    tenant: TenantRow,
    text: string,
    language: Language,
    pricebook: Pricebook,
    sources: AnswerSources,
    subject: { persona: PersonaRow | undefined; catalog: BusinessCatalog | null | undefined },
    extra: Pick<ResponderInput, 'history' | 'onToken'> = {},
  ): { answer: ResponderOutput | Promise<ResponderOutput>; source: AnswerSource } {
    const { persona, catalog } = subject;
    const settings = settingsOf(tenant);
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
    /**
     * What Bob would answer a visitor writing `text` on the widget, through the same responder,
     * without a conversation, a stored message, an event or a credit (answer tests). A draft
     * persona or catalog can stand in for the published ones.
     */
    async preview(tenant: TenantRow, text: string, opts: AnswerSubject & { language?: Language } = {}): Promise<PreviewAnswer> {
      const language = detectLanguage(text, opts.language);
      const persona = opts.persona ?? (await personas.defaultFor(tenant.id));
      if (wantsHuman(text)) {
        return { out: { text: notice('handoff', language, persona?.name ?? 'Bob'), language, intent: 'handoff', answered: true, handoff: true, planIds: [] }, basis: null };
      }
      const sources = await sourcesOf(tenant.id);
      const catalog = await catalogOf(deps.catalog, tenant, opts.catalog);
      const { answer: pending, source } = answer(tenant, text, language, await publishedPricebook(), sources, { persona, catalog }, { history: async () => [] });
      const out = await pending;
      return { out, basis: out.handoff ? null : basisOf(out, source) };
    },

    /** A visitor's (or a console tester's) message: stored, then answered by Bob unless a person has it. */
    async visitorMessage(tenant: TenantRow, externalId: string, text: string, via: VisitorChannel, hint?: Language, opts: { onToken?: (text: string) => void } = {}): Promise<ChatReply> {
      // Visitors only (staff trying a persona in the console are not asked): one indexed read, before the rate limit's write.
      if (via.channel !== 'console') await deps.consent?.check(tenant, externalId);
      await checkRate(tenant.id, externalId, via.ip);
      const language = detectLanguage(text, hint);
      const sources = await sourcesOf(tenant.id);

      // Store the visitor's message and decide whether Bob may answer; an answer given at once
      // (the built-in responder) is stored in the same run.
      type Decision = { done: ChatReply } | { pending: Promise<ResponderOutput>; sessionId: string; free: boolean; source: AnswerSource; asked: string; pricebook: Pricebook };
      const decide = async (t: ChatTx): Promise<Decision> => {
        // Read in the run (not before it, through the root repo, waiting for the connection); a model's answer is stored with the same.
        const pricebook = await publishedPricebook(t.pricebook);
        let s = await t.chat.byExternalId(tenant.id, externalId);
        // A new conversation's persona, as just read (personaOf would read it again).
        let started: PersonaRow | undefined;
        if (!s) {
          const persona = (started = await t.personas.defaultFor(tenant.id));
          const stored = await t.chat.insertSession({
            id: timeOrderedUuid(),
            tenant_id: tenant.id,
            external_id: externalId,
            channel: via.channel,
            persona_id: persona?.id ?? null,
            visitor_name: null,
            language,
            origin: via.origin,
            key_mode: via.keyMode,
            created_by: via.createdBy ?? null,
            at: clock.now().toISOString(),
          });
          s = { ...stored, persona_name: persona?.name ?? null };
          t.emit(tenant.id, 'session.created', { session: toSession(s) }, s.id);
        } else if (s.status === 'closed') {
          s = await setState(t, s, { status: 'bot', assigned: null, streak: 0 });
        }
        if (s.language !== language) await t.chat.setLanguage(s.id, language);
        s = { ...s, language };
        const visitor = await addMessage(t, s, 'visitor', text, { id: via.createdBy ?? null, name: s.visitor_name });
        const asked = visitor.message.id;
        s = visitor.session;
        if (s.status !== 'bot') return { done: await reply(t, s, null, 'system', false) };
        if (wantsHuman(text)) {
          const h = await handoff(t, s, 'asked', text);
          return { done: await reply(t, h.session, h.message, 'system', true) };
        }
        const free = via.keyMode === 'test' || via.channel === 'console';
        if (!free && (await deps.credits.state(tenant.id, tenant.plan_id, pricebook, t.credits)).left < pricebook.credits_per_ai_reply) {
          const h = await handoff(t, s, 'credits', text, 'credits_exhausted');
          return { done: await reply(t, h.session, h.message, 'system', true) };
        }
        const sessionId = s.id;
        const catalog = await catalogOf(t.catalog, tenant);
        const { answer: result, source } = answer(tenant, text, language, pricebook, sources, { persona: started ?? (await personaOf(t.personas, s)), catalog }, {
          // Read only by a model, which may start before this run commits (on PostgreSQL the read
          // then sees the conversation without the visitor's message): that message, sent apart, is
          // left out by its id, whichever the read sees.
          history: async () =>
            (await repo.visibleMessages(sessionId, HISTORY_MESSAGES + 1))
              .filter((m) => m.id !== asked)
              .slice(-HISTORY_MESSAGES)
              .map((m) => ({ author: m.author, body: m.body })),
          onToken: opts.onToken,
        });
        if (result instanceof Promise) return { pending: result, sessionId, free, source, asked, pricebook };
        return { done: await store(t, s, result, free, source, asked, pricebook) };
      };

      // Store Bob's answer, or hand off after two unanswerable questions in a row.
      const store = async (t: ChatTx, current: SessionRow, out: ResponderOutput, free: boolean, source: AnswerSource, asked: string, pricebook: Pricebook): Promise<ChatReply> => {
        if (current.status !== 'bot') return reply(t, current, null, 'system', false); // a person took over meanwhile
        let s: SessionRow = { ...current, language: out.language };
        const streak = out.answered ? 0 : s.unanswered_streak + 1;
        const unanswered = out.handoff ? null : unansweredReason(out, streak >= 2);
        // Staff trying Bob in the console are not visitors: their questions stay out of Insights.
        if (unanswered && via.channel !== 'console') {
          await t.chat.recordUnanswered({ tenant_id: tenant.id, session_id: s.id, message_id: asked, question: text, reason: unanswered, created_at: clock.now().toISOString() });
        }
        if (out.handoff) {
          const h = await handoff(t, s, 'asked', text);
          return reply(t, h.session, h.message, 'system', true);
        }
        // Bob's second "I'm not sure… would you like a person?" would ask what is already decided:
        // the visitor gets one message instead, saying plainly that a person is coming (and no AI
        // reply is charged for an answer nobody sees).
        if (streak >= 2) {
          const h = await handoff(t, s, 'unanswered', text, 'unanswered');
          return reply(t, h.session, h.message, 'system', true);
        }
        const basis = basisOf(out, source);
        const bot = await addMessage(t, s, 'bot', out.text, { id: null, name: source.persona?.name ?? 'Bob' }, basis);
        if (streak !== s.unanswered_streak) s = await setState(t, s, { status: 'bot', streak });
        // Charged last: the month's credit row is shared by every reply of the business, and is
        // held from this update to the commit (with several instances, other replies wait on it).
        if (!free) await deps.credits.chargeReply(t, tenant.id, tenant.plan_id, pricebook);
        return reply(t, s, bot.message, 'bot', false, basis, source.persona);
      };

      const first = await uow.run(decide);
      if ('done' in first) return first.done;
      // A slower responder (a model) answers outside any run, so it never holds the database.
      const out = await first.pending;
      return uow.run(async (t) => store(t, (await t.chat.byId(tenant.id, first.sessionId))!, out, first.free, first.source, first.asked, first.pricebook));
    },

    async createConsoleSession(auth: AuthContext, tenantId: string, input: { persona_id?: string; visitor_name?: string }) {
      const persona = input.persona_id ? await personas.byId(tenantId, input.persona_id) : await personas.defaultFor(tenantId);
      if (!persona) throw notFound('Persona');
      return uow.run(async (t) => {
        const id = randomUUID();
        const stored = await t.chat.insertSession({
          id,
          tenant_id: tenantId,
          external_id: consoleExternalId(id),
          channel: 'console',
          persona_id: persona.id,
          visitor_name: input.visitor_name ?? auth.name,
          language: 'en',
          origin: null,
          key_mode: 'test',
          created_by: auth.userId,
          at: clock.now().toISOString(),
        });
        const s: SessionRow = { ...stored, persona_name: persona.name };
        t.emit(tenantId, 'session.created', { session: toSession(s) }, s.id);
        return { session_id: s.external_id, status: s.status, persona: { id: persona.id, name: persona.name }, created_at: s.created_at };
      });
    },

    /** A person's message to a visitor: takes the session over if the bot had it. */
    async agentMessage(auth: AuthContext, s: SessionRow, text: string) {
      if (s.status === 'closed') throw conflict('session_closed', 'This conversation is closed; the visitor has to write again to reopen it');
      const wait = await perAgent.hit(auth.userId);
      if (wait) throw rateLimited(wait, 'You are sending messages too quickly. Wait a moment and try again.');
      return uow.run(async (t) => {
        let current = s;
        if (s.status !== 'agent' || s.assigned_user_id !== auth.userId) {
          current = await setState(t, s, { status: 'agent', assigned: auth.userId, streak: 0 });
          if (s.status !== 'agent') current = (await systemNotice(t, current, 'agent_joined')).session;
        }
        const { message } = await addMessage(t, current, 'agent', text, { id: auth.userId, name: auth.name });
        return { message_id: message.id, status: 'agent' as const };
      });
    },

    async takeover(auth: AuthContext, s: SessionRow, ip: string): Promise<ChatSession> {
      if (s.status === 'closed') throw conflict('session_closed', 'This conversation is closed');
      return transition(auth, s, ip, 'chat.takeover', async (t) => {
        const updated = await setState(t, s, { status: 'agent', assigned: auth.userId, streak: 0 });
        return s.status !== 'agent' ? (await systemNotice(t, updated, 'agent_joined')).session : updated;
      });
    },

    async release(auth: AuthContext, s: SessionRow, ip: string): Promise<ChatSession> {
      if (s.status === 'closed') throw conflict('session_closed', 'This conversation is closed');
      return transition(auth, s, ip, 'chat.release', async (t) => {
        const updated = await setState(t, s, { status: 'bot', assigned: null, streak: 0 });
        // "The team member has left" only when a person actually had the conversation.
        return s.status === 'agent' ? (await systemNotice(t, updated, 'agent_left')).session : updated;
      });
    },

    async close(auth: AuthContext, s: SessionRow, ip: string): Promise<ChatSession> {
      if (s.status === 'closed') return toSession(s);
      return transition(auth, s, ip, 'chat.close', async (t) => {
        const updated = await setState(t, s, { status: 'closed', assigned: null });
        return (await systemNotice(t, updated, 'closed')).session;
      });
    },

    /**
     * Bob closes conversations he alone had (no handoff) once quiet for `idleMs` (issue #23: a
     * periodic job; `session.closed` lets the widget ask for a rating). Each in its own run,
     * re-read there (a message that just came keeps it open), audited as the system. How many closed.
     */
    async closeIdle(idleMs: number = IDLE_CLOSE_MS): Promise<number> {
      let closed = 0;
      for (;;) {
        const cutoff = new Date(clock.now().getTime() - idleMs).toISOString();
        const idle = await repo.idleWithBob(cutoff, IDLE_CLOSE_BATCH);
        let now = 0;
        for (const found of idle) {
          now += await uow.run(async (t) => {
            // Another instance closing it too waits here, then reads it closed.
            await t.chat.takeTurnsClosing(found.id);
            const s = await t.chat.byId(found.tenant_id, found.id);
            if (!s || s.status !== 'bot' || s.handoff_at || s.last_message_at >= cutoff) return 0;
            const updated = await setState(t, s, { status: 'closed', assigned: null });
            await systemNotice(t, updated, 'closed');
            t.audit({ tenantId: s.tenant_id, action: 'chat.idle_close', targetType: 'chat_session', targetId: s.id, before: { status: s.status }, after: { status: 'closed', idle_minutes: Math.round(idleMs / 60_000) } });
            return 1;
          });
        }
        closed += now;
        if (idle.length < IDLE_CLOSE_BATCH || !now) return closed;
      }
    },

    /**
     * A message carrying files (issue #23, the attachments module), in the caller's run: a
     * visitor's (reopening a closed conversation, as a message does; Bob does not answer files), or
     * a person's (taking the conversation over, as agentMessage does).
     */
    async fileMessage(t: ChatTx, s: SessionRow, from: { author: 'visitor' } | { author: 'agent'; auth: AuthContext }, body: string, files: MessageFile[]) {
      let current = s;
      if (from.author === 'agent') {
        if (s.status !== 'agent' || s.assigned_user_id !== from.auth.userId) {
          current = await setState(t, s, { status: 'agent', assigned: from.auth.userId, streak: 0 });
          if (s.status !== 'agent') current = (await systemNotice(t, current, 'agent_joined')).session;
        }
        return addMessage(t, current, 'agent', body, { id: from.auth.userId, name: from.auth.name }, null, files);
      }
      if (s.status === 'closed') current = await setState(t, s, { status: 'bot', assigned: null, streak: 0 });
      return addMessage(t, current, 'visitor', body, { id: null, name: s.visitor_name }, null, files);
    },

    /**
     * Seen receipt (issue #23): `by` viewed the conversation. Stored and announced (`session.seen`)
     * only when a message came after that side's last receipt; `at` is the receipt in force.
     */
    seen(s: SessionRow, by: 'visitor' | 'staff'): Promise<{ by: 'visitor' | 'staff'; at: string | null }> {
      return uow.run(async (t) => {
        const at = clock.now().toISOString();
        if (!(await t.chat.markSeen(s.id, by, at))) return { by, at: by === 'visitor' ? s.visitor_seen_at : s.staff_seen_at };
        t.emit(s.tenant_id, 'session.seen', { session_id: s.id, external_id: s.external_id, by, at }, s.id);
        return { by, at };
      });
    },

    addNote(auth: AuthContext, s: SessionRow, body: string) {
      return uow.run(async (t) => toMessage((await addMessage(t, s, 'note', body, { id: auth.userId, name: auth.name })).message));
    },
  };
}
