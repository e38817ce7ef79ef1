import { z } from 'zod';
import type { ApiRouter } from '../../http/routes';
import { APP_VERSION } from '../../version';
import { checkAnswer } from '../network/network.check';
import type { HealthRepo } from './health.repo';

export const HealthResponse = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    uptime_s: z.number(),
    database: z.enum(['ok', 'error']),
    database_kind: z.enum(['sqlite', 'postgres']).describe('The embedded SQLite file, or PostgreSQL (the server mode: several instances on one database)'),
    instance: z.string().describe('Which instance answered (BOB_INSTANCE_ID, else host-pid-random): behind a load balancer, tells them apart'),
    check: z.string().optional().describe('The answer to `check`: proves this Bob answered (Settings → Connection → Check)'),
  })
  .meta({ id: 'Health' });

const HealthQuery = z.object({ check: z.string().regex(/^[0-9a-f]{32}$/, 'must be 32 hex digits').optional() });

export function registerHealthRoutes(api: ApiRouter, deps: { repo: HealthRepo; checkSecret: () => string; databaseKind: 'sqlite' | 'postgres'; instance: string }) {
  const started = Date.now();
  api.add({
    method: 'GET',
    path: '/api/health',
    tag: 'System',
    summary: 'Liveness and database check',
    auth: 'public',
    query: HealthQuery,
    response: HealthResponse,
    async handler(ctx, { query }) {
      let database: 'ok' | 'error' = 'ok';
      try {
        await deps.repo.ping();
      } catch {
        database = 'error';
      }
      if (database !== 'ok') ctx.status = 503;
      return {
        status: database === 'ok' ? 'ok' : 'degraded',
        version: APP_VERSION,
        uptime_s: Math.round((Date.now() - started) / 1000),
        database_kind: deps.databaseKind,
        instance: deps.instance,
        database,
        ...(query.check ? { check: checkAnswer(deps.checkSecret(), query.check) } : {}),
      };
    },
  });
}
