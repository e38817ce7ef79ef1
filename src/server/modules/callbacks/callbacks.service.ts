// Issue #23, when nobody is there: the widget is told whether anyone can answer now (opening hours,
// or a handoff nobody took within the business's handoff_timeout_minutes), the visitor leaves an
// email or phone and a message, staff answer from Live's "Requests" queue, and the reply is stored
// in the conversation (the widget shows it on the next visit) and sent by email through the
// business's SMTP settings. The SMTP password never leaves this module: not in responses, logs or audit.
import type { CallbackReason, CallbackRequestDetail, EmailSettings, EmailSettingsPut, EmailTestResult, WidgetCallbackRequest } from '../../../shared/schemas/callbacks';
import type { z } from 'zod';
import type { Clock } from '../../clock';
import { conflict, HttpError, notFound, rateLimited } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { LimitStore } from '../../http/rate-limit';
import { timeOrderedUuid } from '../../ids';
import type { Logger } from '../../logger';
import type { Tx, UnitOfWork } from '../../storage/unit-of-work';
import { toMessage, toSession, type ChatRepo, type SessionRow } from '../chat/chat.repo';
import type { PersonasRepo } from '../personas/personas.repo';
import { openNow } from '../responder/hours';
import { settingsOf, type TenantRow, type TenantsRepo } from '../tenants/tenants.repo';
import { toCallback, toCallbackDetail, type CallbacksRepo, type EmailSettingsRow } from './callbacks.repo';
import { UnsafeTargetError } from '../webhooks/address-guard';
import { sendMail, smtpAddress, smtpError } from './mailer';

export type CallbacksService = ReturnType<typeof createCallbacksService>;
type Repos = { callbacks: CallbacksRepo; chat: ChatRepo; personas: PersonasRepo };

export const DEFAULT_HANDOFF_TIMEOUT_MINUTES = 5;
const SWEEP_MS = 30_000;

const NOBODY = {
  en: 'Nobody is here right now. Leave your email or phone and a short message, and we will answer you as soon as we can.',
  it: 'Al momento non c\'è nessuno. Lascia la tua email o il tuo telefono e un breve messaggio: ti risponderemo appena possibile.',
};
const MAIL = {
  en: { subject: (b: string) => `Reply from ${b}`, wrote: 'You wrote:' },
  it: { subject: (b: string) => `Risposta da ${b}`, wrote: 'Hai scritto:' },
};

export function createCallbacksService(deps: {
  repo: CallbacksRepo;
  chat: ChatRepo;
  tenants: TenantsRepo;
  uow: UnitOfWork<Repos>;
  clock: Clock;
  logger: Logger;
  limitStore: LimitStore;
  /** BOB_ALLOW_PRIVATE_SMTP: the SMTP host may be loopback or private (local mail servers, tests). */
  allowPrivateSmtp: boolean;
}) {
  const { repo, uow, clock, logger } = deps;
  const perSession = deps.limitStore.limiter('callback.session', 3, 10 * 60_000);
  const perIp = deps.limitStore.limiter('callback.ip', 10, 60 * 60_000);
  const timeoutMs = (tenant: TenantRow) => (settingsOf(tenant).handoff_timeout_minutes ?? DEFAULT_HANDOFF_TIMEOUT_MINUTES) * 60_000;

  /** Whether someone can answer now: the opening hours, then this conversation's handoff. */
  async function availability(tenant: TenantRow, externalId?: string): Promise<{ available: boolean; reason?: CallbackReason }> {
    const s = settingsOf(tenant);
    const now = clock.now();
    const hours = openNow({ hours: s.hours, closures: s.closures, timezone: s.timezone }, now);
    if (hours.known && !hours.open) return { available: false, reason: 'closed' };
    if (externalId) {
      const session = await deps.chat.byExternalId(tenant.id, externalId);
      if (session?.status === 'waiting_for_agent' && session.waiting_since && Date.parse(session.waiting_since) + timeoutMs(tenant) <= now.getTime()) {
        return { available: false, reason: 'no_one' };
      }
    }
    return { available: true };
  }

  /** An agent message in the conversation, as the chat service stores one. */
  async function agentMessage(t: Tx<Repos>, s: SessionRow, body: string, by: { id: string; name: string }) {
    const at = clock.now().toISOString();
    const message = await t.chat.insertMessage({
      id: timeOrderedUuid(),
      tenant_id: s.tenant_id,
      session_id: s.id,
      author: 'agent',
      author_id: by.id,
      author_name: by.name,
      body,
      created_at: at,
      responder: null,
      basis: null,
    });
    await t.chat.markAgentReplied(s.id, at);
    t.emit(s.tenant_id, 'message.created', { session_id: s.id, external_id: s.external_id, message: toMessage(message) }, s.id);
    return message;
  }

  async function sweepTenant(tenant: TenantRow): Promise<number> {
    const cutoff = new Date(clock.now().getTime() - timeoutMs(tenant)).toISOString();
    let told = 0;
    for (const s of await repo.timedOut(tenant.id, cutoff)) {
      const done = await uow.run(async (t) => {
        if (!(await t.callbacks.recordOffer(s.id, s.waiting_since!, clock.now().toISOString()))) return false;
        const at = clock.now().toISOString();
        const message = await t.chat.insertMessage({
          id: timeOrderedUuid(),
          tenant_id: s.tenant_id,
          session_id: s.id,
          author: 'system',
          author_id: null,
          author_name: null,
          body: NOBODY[s.language === 'it' ? 'it' : 'en'],
          created_at: at,
          responder: null,
          basis: null,
        });
        t.emit(s.tenant_id, 'message.created', { session_id: s.id, external_id: s.external_id, message: toMessage(message) }, s.id);
        t.emit(s.tenant_id, 'callback.offered', { session_id: s.external_id, reason: 'no_one' }, s.id);
        return true;
      });
      if (done) told++;
    }
    return told;
  }

  /** Tells every handoff waiting longer than its business's timeout that nobody is here (once per handoff). */
  async function sweep(): Promise<number> {
    let told = 0;
    for (const id of await repo.tenantsWaiting()) {
      const tenant = await deps.tenants.byId(id);
      if (tenant) told += await sweepTenant(tenant);
    }
    return told;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  const publicSettings = (row: EmailSettingsRow | undefined): EmailSettings =>
    row
      ? { configured: true, host: row.host, port: row.port, secure: row.secure === 1, user: row.username, from: row.from_address, password_set: row.password !== '' }
      : { configured: false, host: '', port: 587, secure: false, user: '', from: '', password_set: false };

  return {
    availability,
    sweep,

    start() {
      timer = setInterval(() => {
        running = running.then(sweep).catch((err: unknown) => logger.error('timed-out handoffs could not be checked', { err: String(err) }));
      }, SWEEP_MS);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },

    /** The visitor's request (widget): stored with a message in the conversation, announced as callback.requested. */
    async request(tenant: TenantRow, body: z.infer<typeof WidgetCallbackRequest>, via: { origin: string | null; keyMode: 'live' | 'test'; ip: string }): Promise<{ id: string; status: 'open' }> {
      const bySession = await perSession.hit(`${tenant.id}|${body.session_id}`);
      if (bySession) throw rateLimited(bySession, 'You already left a request. We will answer you as soon as we can.');
      const byIp = await perIp.hit(via.ip);
      if (byIp) throw rateLimited(byIp, 'Too many requests from your network. Try again later.');
      const { reason } = await availability(tenant, body.session_id);
      return uow.run(async (t) => {
        const at = clock.now().toISOString();
        let s = await t.chat.byExternalId(tenant.id, body.session_id);
        if (!s) {
          const persona = await t.personas.defaultFor(tenant.id);
          const stored = await t.chat.insertSession({
            id: timeOrderedUuid(),
            tenant_id: tenant.id,
            external_id: body.session_id,
            channel: 'widget',
            persona_id: persona?.id ?? null,
            visitor_name: null,
            language: body.language ?? 'en',
            origin: via.origin,
            key_mode: via.keyMode,
            created_by: null,
            at,
          });
          s = { ...stored, persona_name: persona?.name ?? null };
          t.emit(tenant.id, 'session.created', { session: toSession(s) }, s.id);
        }
        const message = await t.chat.insertMessage({
          id: timeOrderedUuid(), tenant_id: tenant.id, session_id: s.id, author: 'visitor', author_id: null, author_name: s.visitor_name, body: body.message, created_at: at, responder: null, basis: null,
        });
        t.emit(tenant.id, 'message.created', { session_id: s.id, external_id: s.external_id, message: toMessage(message) }, s.id);
        const id = timeOrderedUuid();
        const row = { id, tenant_id: tenant.id, session_id: s.id, email: body.email ?? null, phone: body.phone ?? null, message: body.message, reason: reason ?? 'no_one', created_at: at };
        await t.callbacks.insert(row);
        t.emit(tenant.id, 'callback.requested', { request: toCallback({ ...row, status: 'open', answered_at: null, answered_by: null, external_id: s.external_id }) }, s.id);
        return { id, status: 'open' as const };
      });
    },

    list: async (tenant: TenantRow, status: 'open' | 'answered'): Promise<CallbackRequestDetail[]> => (await repo.list(tenant.id, status)).map(toCallbackDetail),

    /** A person's reply: by email first (when there is an address and SMTP settings; a failure stores nothing), then in the conversation. */
    async reply(auth: AuthContext, tenant: TenantRow, id: string, text: string, ip: string) {
      const request = await repo.byId(tenant.id, id);
      if (!request) throw notFound('Request');
      if (request.status !== 'open') throw conflict('already_answered', 'This request was already answered');
      const session = await deps.chat.byId(tenant.id, request.session_id);
      if (!session) throw notFound('Request');
      const smtp = await repo.emailSettings(tenant.id);
      let emailed = false;
      if (request.email && smtp) {
        const m = MAIL[session.language === 'it' ? 'it' : 'en'];
        try {
          await sendMail(smtp, { to: request.email, subject: m.subject(tenant.name), text: `${text}\n\n— ${auth.name}, ${tenant.name}\n\n${m.wrote}\n> ${request.message.split('\n').join('\n> ')}\n` }, deps.allowPrivateSmtp);
          emailed = true;
        } catch (err) {
          throw new HttpError(502, 'email_failed', `The email could not be sent: ${smtpError(err, smtp.password)}`);
        }
      }
      return uow.run(async (t) => {
        const at = clock.now().toISOString();
        if (!(await t.callbacks.markAnswered(request.id, auth.userId, at))) throw conflict('already_answered', 'This request was already answered');
        const message = await agentMessage(t, session, text, { id: auth.userId, name: auth.name });
        const answered = { ...request, status: 'answered' as const, answered_at: at, answered_by: auth.userId };
        t.emit(tenant.id, 'callback.answered', { request: toCallback(answered), emailed }, session.id);
        t.audit({ tenantId: tenant.id, actorId: auth.userId, actorEmail: auth.email, action: 'callback.answered', targetType: 'callback_request', targetId: request.id, after: { emailed }, ip });
        return { request: toCallbackDetail(answered), message_id: message.id, emailed };
      });
    },

    emailSettings: async (tenant: TenantRow): Promise<EmailSettings> => publicSettings(await repo.emailSettings(tenant.id)),

    async saveEmailSettings(auth: AuthContext, tenant: TenantRow, body: EmailSettingsPut, ip: string): Promise<EmailSettings> {
      try {
        await smtpAddress(body.host, deps.allowPrivateSmtp);
      } catch (err) {
        if (!(err instanceof UnsafeTargetError)) throw err;
        throw new HttpError(400, 'invalid_request', `Bob cannot send email through this host: ${err.message}. A local mail server needs BOB_ALLOW_PRIVATE_SMTP=1 on the server.`, [{ path: ['body', 'host'], message: err.message }]);
      }
      return uow.run(async (t) => {
        const before = await t.callbacks.emailSettings(tenant.id);
        const row: EmailSettingsRow = {
          tenant_id: tenant.id,
          host: body.host,
          port: body.port,
          secure: body.secure ? 1 : 0,
          username: body.user,
          password: body.password ?? before?.password ?? '',
          from_address: body.from,
          updated_at: clock.now().toISOString(),
        };
        await t.callbacks.saveEmailSettings(row);
        const shown = publicSettings(row);
        // Never the password: only whether one is set.
        t.audit({ tenantId: tenant.id, actorId: auth.userId, actorEmail: auth.email, action: 'email.settings_updated', targetType: 'tenant', targetId: tenant.id, before: before ? publicSettings(before) : null, after: shown, ip });
        return shown;
      });
    },

    async testEmail(tenant: TenantRow, to: string): Promise<EmailTestResult> {
      const smtp = await repo.emailSettings(tenant.id);
      if (!smtp) throw conflict('email_not_configured', 'Save the email settings first');
      try {
        await sendMail(smtp, { to, subject: `${tenant.name}: test email from Bob`, text: `This is a test email from Bob for ${tenant.name}. Replies to visitors will be sent like this one.` }, deps.allowPrivateSmtp);
        return { ok: true };
      } catch (err) {
        return { ok: false, error: smtpError(err, smtp.password) };
      }
    },
  };
}
