import { z } from 'zod';
import { AssigneeRequest, CannedInput, CannedPatch, CannedResponse, ChatLabel, LabelInput, SessionLabelsRequest, Teammate } from '../../../shared/schemas/agent-tools';
import { ChatSession, SessionIdParams } from '../../../shared/schemas/chat';
import { listOf, uuid } from '../../../shared/schemas/common';
import { notFound } from '../../errors';
import { authOf, type AppContext, type AuthContext } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import type { ChatRepo, SessionRow } from '../chat/chat.repo';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import type { AgentToolsService } from './agent-tools.service';

const Scope = z.object({ business_id: z.string().max(64).optional().describe('platform admins: another tenant') });
const IdParams = z.object({ id: uuid });

/** Issue #23: quick replies, labels, assignment. */
export function registerAgentToolsRoutes(api: ApiRouter, deps: { tools: AgentToolsService; chats: ChatRepo; tenants: TenantsRepo }) {
  const { tools, chats, tenants } = deps;
  const tenantId = async (ctx: AppContext, query: { business_id?: string }) => (await tenantOf(tenants, authOf(ctx), query.business_id)).id;
  /** A conversation of the caller's business (a platform admin: any); another tenant's is a 404. */
  async function sessionFor(auth: AuthContext, ref: string): Promise<SessionRow> {
    const tenant = await tenantOf(tenants, auth);
    const s = (await chats.find(tenant.id, ref)) ?? (auth.role === 'admin' ? await chats.findAnyById(ref) : undefined);
    if (!s) throw notFound('Session');
    return s;
  }
  const canned = { tag: 'Agent tools', auth: 'user' as const, query: Scope };

  api.add({
    ...canned,
    method: 'GET',
    path: '/api/canned-responses',
    summary: 'The business\'s quick replies (typed as /shortcut in Live), by shortcut',
    permission: 'chat.manage',
    response: listOf(CannedResponse),
    handler: async (ctx, { query }) => ({ data: await tools.cannedList(await tenantId(ctx, query)), next_cursor: null }),
  });
  api.add({
    ...canned,
    method: 'POST',
    path: '/api/canned-responses',
    summary: 'Add a quick reply {shortcut, title, body_en, body_it}; 409 shortcut_taken',
    permission: 'canned.manage',
    body: CannedInput,
    status: 201,
    response: CannedResponse,
    errors: [409],
    handler: async (ctx, { query, body }) => tools.createCanned(authOf(ctx), ctx.ip, await tenantId(ctx, query), body),
  });
  api.add({
    ...canned,
    method: 'PATCH',
    path: '/api/canned-responses/:id',
    summary: 'Change a quick reply',
    permission: 'canned.manage',
    params: IdParams,
    body: CannedPatch,
    response: CannedResponse,
    errors: [404, 409],
    handler: async (ctx, { query, params, body }) => tools.updateCanned(authOf(ctx), ctx.ip, await tenantId(ctx, query), params.id, body),
  });
  api.add({
    ...canned,
    method: 'DELETE',
    path: '/api/canned-responses/:id',
    summary: 'Delete a quick reply',
    permission: 'canned.manage',
    params: IdParams,
    status: 204,
    errors: [404],
    handler: async (ctx, { query, params }) => tools.deleteCanned(authOf(ctx), ctx.ip, await tenantId(ctx, query), params.id),
  });

  api.add({
    ...canned,
    method: 'GET',
    path: '/api/chat/labels',
    summary: 'The business\'s labels for conversations, by name',
    permission: 'chat.view',
    response: listOf(ChatLabel),
    handler: async (ctx, { query }) => ({ data: await tools.labels(await tenantId(ctx, query)), next_cursor: null }),
  });
  api.add({
    ...canned,
    method: 'POST',
    path: '/api/chat/labels',
    summary: 'Add a label {name, color}; 409 label_exists',
    permission: 'canned.manage',
    body: LabelInput,
    status: 201,
    response: ChatLabel,
    errors: [409],
    handler: async (ctx, { query, body }) => tools.createLabel(authOf(ctx), ctx.ip, await tenantId(ctx, query), body),
  });
  api.add({
    ...canned,
    method: 'DELETE',
    path: '/api/chat/labels/:id',
    summary: 'Delete a label (it leaves every conversation that had it)',
    permission: 'canned.manage',
    params: IdParams,
    status: 204,
    errors: [404],
    handler: async (ctx, { query, params }) => tools.deleteLabel(authOf(ctx), ctx.ip, await tenantId(ctx, query), params.id),
  });
  api.add({
    ...canned,
    method: 'GET',
    path: '/api/chat/teammates',
    summary: 'The business\'s active members: who a conversation can be assigned to',
    permission: 'chat.view',
    response: listOf(Teammate),
    handler: async (ctx, { query }) => ({ data: await tools.teammates(await tenantId(ctx, query)), next_cursor: null }),
  });

  // One conversation is found by its id whatever the business (as the chat actions): no business_id.
  const action = { tag: 'Agent tools', auth: 'user' as const };
  api.add({
    ...action,
    method: 'PUT',
    path: '/api/chat/sessions/:id/labels',
    summary: 'Set a conversation\'s labels {labels: [label id…]}; emits session.updated',
    description: 'Each id must be one of the business\'s labels (else 400 `unknown_label`).',
    permission: 'chat.manage',
    params: SessionIdParams,
    body: SessionLabelsRequest,
    response: ChatSession,
    errors: [400, 404],
    handler: async (ctx, { params, body }) => tools.setLabels(authOf(ctx), ctx.ip, await sessionFor(authOf(ctx), params.id), body.labels),
  });
  api.add({
    ...action,
    method: 'PUT',
    path: '/api/chat/sessions/:id/assignee',
    summary: 'Assign a conversation to a teammate {user_id} or to nobody {user_id: null}; emits session.assigned',
    description: 'The assignee must be an active member of the conversation\'s business (else 400 `invalid_assignee`). Staff streams get `session.assigned`, webhooks too.',
    permission: 'chat.manage',
    params: SessionIdParams,
    body: AssigneeRequest,
    response: ChatSession,
    errors: [400, 404],
    handler: async (ctx, { params, body }) => tools.assign(authOf(ctx), ctx.ip, await sessionFor(authOf(ctx), params.id), body.user_id),
  });
}
