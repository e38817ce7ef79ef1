import { randomUUID } from 'node:crypto';
import type { CannedResponse, ChatLabel } from '../../../shared/schemas/agent-tools';
import type { ChatSession } from '../../../shared/schemas/chat';
import type { Clock } from '../../clock';
import { HttpError, conflict, notFound } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { UnitOfWork } from '../../storage/unit-of-work';
import type { Audit } from '../audit/audit.repo';
import { toSession, type ChatRepo, type SessionRow } from '../chat/chat.repo';
import type { AgentToolsRepo, CannedRow, LabelRow } from './agent-tools.repo';

export type AgentToolsService = ReturnType<typeof createAgentToolsService>;

export const toCanned = (r: CannedRow): CannedResponse => ({
  id: r.id,
  shortcut: r.shortcut,
  title: r.title,
  body_en: r.body_en,
  body_it: r.body_it,
  created_at: r.created_at,
  updated_at: r.updated_at,
});
export const toLabel = (r: LabelRow): ChatLabel => ({ id: r.id, name: r.name, color: r.color as ChatLabel['color'] });

type CannedFields = Pick<CannedResponse, 'shortcut' | 'title' | 'body_en' | 'body_it'>;

/** Quick replies, labels and assignment: every change audited, conversation changes announced. */
export function createAgentToolsService(deps: { repo: AgentToolsRepo; uow: UnitOfWork<{ agentTools: AgentToolsRepo; chat: ChatRepo }>; clock: Clock }) {
  const { repo, uow, clock } = deps;
  const record = (audit: Audit, auth: AuthContext, ip: string, tenantId: string, action: string, targetType: string, id: string, before: unknown, after: unknown) =>
    audit({ tenantId, actorId: auth.userId, actorEmail: auth.email, action, targetType, targetId: id, before, after, ip });
  const cannedOf = async (r: AgentToolsRepo, tenantId: string, id: string) => {
    const row = await r.cannedById(tenantId, id);
    if (!row) throw notFound('Quick reply');
    return row;
  };
  const shortcutTaken = (shortcut: string) => conflict('shortcut_taken', `Another quick reply already uses /${shortcut}`);
  // What the audit log keeps of a quick reply: staff-written text, never a visitor's.
  const summary = (r: CannedRow) => ({ shortcut: r.shortcut, title: r.title });

  /** Sessions as the staff lists show them: with their labels. */
  async function withLabels(rows: SessionRow[], r: AgentToolsRepo = repo): Promise<ChatSession[]> {
    const labels = await r.labelsOf(rows.map((s) => s.id));
    return rows.map((s) => ({ ...toSession(s), labels: (labels.get(s.id) ?? []).map(toLabel) }));
  }

  return {
    withLabels,
    cannedList: async (tenantId: string) => (await repo.cannedList(tenantId)).map(toCanned),

    createCanned(auth: AuthContext, ip: string, tenantId: string, input: CannedFields): Promise<CannedResponse> {
      return uow.run(async ({ agentTools, audit }) => {
        if (await agentTools.cannedByShortcut(tenantId, input.shortcut)) throw shortcutTaken(input.shortcut);
        const at = clock.now().toISOString();
        const row: CannedRow = { id: randomUUID(), tenant_id: tenantId, ...input, created_at: at, updated_at: at };
        await agentTools.insertCanned(row);
        record(audit, auth, ip, tenantId, 'canned.created', 'canned_response', row.id, null, summary(row));
        return toCanned(row);
      });
    },

    updateCanned(auth: AuthContext, ip: string, tenantId: string, id: string, patch: Partial<CannedFields>): Promise<CannedResponse> {
      return uow.run(async ({ agentTools, audit }) => {
        const before = await cannedOf(agentTools, tenantId, id);
        const next: CannedRow = { ...before, ...patch, updated_at: clock.now().toISOString() };
        if (next.shortcut !== before.shortcut && (await agentTools.cannedByShortcut(tenantId, next.shortcut))) throw shortcutTaken(next.shortcut);
        await agentTools.updateCanned(next);
        record(audit, auth, ip, tenantId, 'canned.updated', 'canned_response', id, summary(before), summary(next));
        return toCanned(next);
      });
    },

    deleteCanned(auth: AuthContext, ip: string, tenantId: string, id: string): Promise<void> {
      return uow.run(async ({ agentTools, audit }) => {
        const before = await cannedOf(agentTools, tenantId, id);
        await agentTools.deleteCanned(tenantId, id);
        record(audit, auth, ip, tenantId, 'canned.deleted', 'canned_response', id, summary(before), null);
      });
    },

    labels: async (tenantId: string) => (await repo.labels(tenantId)).map(toLabel),

    createLabel(auth: AuthContext, ip: string, tenantId: string, input: { name: string; color: ChatLabel['color'] }): Promise<ChatLabel> {
      return uow.run(async ({ agentTools, audit }) => {
        if (await agentTools.labelByName(tenantId, input.name)) throw conflict('label_exists', `There is already a label "${input.name}"`);
        const row: LabelRow = { id: randomUUID(), tenant_id: tenantId, name: input.name, color: input.color, created_at: clock.now().toISOString() };
        await agentTools.insertLabel(row);
        record(audit, auth, ip, tenantId, 'label.created', 'chat_label', row.id, null, toLabel(row));
        return toLabel(row);
      });
    },

    deleteLabel(auth: AuthContext, ip: string, tenantId: string, id: string): Promise<void> {
      return uow.run(async ({ agentTools, audit }) => {
        const row = await agentTools.labelById(tenantId, id);
        if (!row) throw notFound('Label');
        await agentTools.deleteLabel(tenantId, id);
        record(audit, auth, ip, tenantId, 'label.deleted', 'chat_label', id, toLabel(row), null);
      });
    },

    /** Replaces a conversation's labels; each must be one of its business's (else 400 unknown_label). */
    setLabels(auth: AuthContext, ip: string, s: SessionRow, labelIds: readonly string[]): Promise<ChatSession> {
      const ids = [...new Set(labelIds)];
      return uow.run(async ({ agentTools, chat, audit, emit }) => {
        for (const id of ids) {
          if (!(await agentTools.labelById(s.tenant_id, id))) throw new HttpError(400, 'unknown_label', `No label with id "${id}" in this business`);
        }
        const before = ((await agentTools.labelsOf([s.id])).get(s.id) ?? []).map((l) => l.id);
        await agentTools.setSessionLabels(s.id, ids);
        await agentTools.setAssignee(s.tenant_id, s.id, s.assigned_user_id, clock.now().toISOString());
        const [session] = await withLabels([(await chat.byId(s.tenant_id, s.id))!], agentTools);
        emit(s.tenant_id, 'session.updated', { session: session! }, s.id);
        record(audit, auth, ip, s.tenant_id, 'chat.labels', 'chat_session', s.id, { labels: before }, { labels: session!.labels!.map((l) => l.id) });
        return session!;
      });
    },

    teammates: (tenantId: string) => repo.teammates(tenantId),

    /** Assigns a conversation to an active member of its business (or to nobody): 400 invalid_assignee otherwise. */
    assign(auth: AuthContext, ip: string, s: SessionRow, userId: string | null): Promise<ChatSession> {
      return uow.run(async ({ agentTools, chat, audit, emit }) => {
        const assignee = userId === null ? null : await agentTools.teammate(s.tenant_id, userId);
        if (assignee === undefined) throw new HttpError(400, 'invalid_assignee', 'Assign the conversation to an active member of this business');
        await agentTools.setAssignee(s.tenant_id, s.id, userId, clock.now().toISOString());
        const [session] = await withLabels([(await chat.byId(s.tenant_id, s.id))!], agentTools);
        emit(s.tenant_id, 'session.updated', { session: session! }, s.id);
        emit(s.tenant_id, 'session.assigned', { session: session!, assignee: assignee && { id: assignee.id, name: assignee.name }, by: { id: auth.userId, name: auth.name } }, s.id);
        record(audit, auth, ip, s.tenant_id, 'chat.assigned', 'chat_session', s.id, { assigned_user_id: s.assigned_user_id }, { assigned_user_id: userId });
        return session!;
      });
    },
  };
}
