import { z } from 'zod';
import {
  AnswerTest,
  AnswerTestAgainst,
  AnswerTestInput,
  AnswerTestRun,
  AnswerTestRunRequest,
  AnswerTestRunSummary,
} from '../../../shared/schemas/answer-tests';
import { keysetCursor, listOf, uuid } from '../../../shared/schemas/common';
import { decodeCursor, encodeCursor, pageOf } from '../../http/cursor';
import { authOf, type AppContext } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import { MAX_ANSWER_TESTS, type AnswerTestsService } from './answer-tests.service';

const Scope = z.object({ business_id: z.string().max(64).optional().describe('platform admins: another tenant') });
const IdParams = z.object({ id: uuid });
const RunsQuery = Scope.extend({
  against: AnswerTestAgainst.optional().describe('only runs against what is published, or against the drafts (the publish screens: ?against=draft&limit=1)'),
  cursor: keysetCursor.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

/** Answer tests (issue #18): what Bob must and must not say, checked in bulk before publishing. */
export function registerAnswerTestsRoutes(api: ApiRouter, deps: { tests: AnswerTestsService; tenants: TenantsRepo }) {
  const { tests } = deps;
  const actor = async (ctx: AppContext, q: { business_id?: string }) => ({ auth: authOf(ctx), tenantId: (await tenantOf(deps.tenants, authOf(ctx), q.business_id)).id, ip: ctx.ip });
  const common = { tag: 'Answer tests', auth: 'user' as const, permission: 'catalog.manage' as const, query: Scope };

  api.add({
    ...common,
    method: 'GET',
    path: '/api/answer-tests',
    summary: 'The business\'s answer tests, oldest first',
    response: listOf(AnswerTest),
    handler: async (ctx, { query }) => ({ data: await tests.list((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id), next_cursor: null }),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/answer-tests',
    summary: `Write an answer test (at most ${MAX_ANSWER_TESTS} per business: 409 answer_test_limit)`,
    body: AnswerTestInput,
    status: 201,
    response: AnswerTest,
    errors: [409],
    handler: async (ctx, { query, body }) => tests.create(await actor(ctx, query), body),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/answer-tests/run',
    summary: 'Run every test through the widget\'s responder, without a conversation or a credit; the run is stored (no tests: 400 no_tests)',
    description:
      'against `published`: the published catalog and the default persona as visitors meet them. against `draft`: the open catalog draft ' +
      '(else the published catalog) and the default persona\'s draft (else as published).',
    body: AnswerTestRunRequest,
    status: 201,
    response: AnswerTestRun,
    handler: async (ctx, { query, body }) => tests.run(await actor(ctx, query), body.against),
  });

  // Before /:id, which would take "runs" for an id.
  api.add({
    ...common,
    method: 'GET',
    path: '/api/answer-tests/runs',
    summary: 'Stored runs, newest first, without their results',
    query: RunsQuery,
    response: listOf(AnswerTestRunSummary),
    async handler(ctx, { query }) {
      const rows = await tests.runs({ tenantId: (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, against: query.against, before: decodeCursor(query.cursor), limit: query.limit + 1 });
      return pageOf(rows, query.limit, (last) => encodeCursor(last.created_at, last.id));
    },
  });

  api.add({
    ...common,
    method: 'GET',
    path: '/api/answer-tests/runs/:id',
    summary: 'One stored run with every test\'s reply, basis and verdict',
    params: IdParams,
    response: AnswerTestRun,
    errors: [404],
    handler: async (ctx, { query, params }) => tests.getRun((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id),
  });

  api.add({
    ...common,
    method: 'GET',
    path: '/api/answer-tests/:id',
    summary: 'One answer test',
    params: IdParams,
    response: AnswerTest,
    errors: [404],
    handler: async (ctx, { query, params }) => tests.get((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id),
  });

  api.add({
    ...common,
    method: 'PUT',
    path: '/api/answer-tests/:id',
    summary: 'Replace an answer test',
    params: IdParams,
    body: AnswerTestInput,
    response: AnswerTest,
    errors: [404],
    handler: async (ctx, { query, params, body }) => tests.update(await actor(ctx, query), params.id, body),
  });

  api.add({
    ...common,
    method: 'DELETE',
    path: '/api/answer-tests/:id',
    summary: 'Delete an answer test (its past runs are kept)',
    params: IdParams,
    status: 204,
    errors: [404],
    async handler(ctx, { query, params }) {
      await tests.remove(await actor(ctx, query), params.id);
    },
  });
}
