import { z } from 'zod';
import type { Db } from '../../db/client';
import type { ApiRouter } from '../../http/routes';
import { APP_VERSION } from '../../version';

export const HealthResponse = z
  .object({ status: z.enum(['ok', 'degraded']), version: z.string(), uptime_s: z.number(), database: z.enum(['ok', 'error']) })
  .meta({ id: 'Health' });

export function registerHealthRoutes(api: ApiRouter, db: Db) {
  const started = Date.now();
  const ping = db.prepare('SELECT 1').pluck();
  api.add({
    method: 'GET',
    path: '/api/health',
    tag: 'System',
    summary: 'Liveness and database check',
    auth: 'public',
    response: HealthResponse,
    handler(ctx) {
      let database: 'ok' | 'error' = 'ok';
      try {
        ping.get();
      } catch {
        database = 'error';
      }
      if (database !== 'ok') ctx.status = 503;
      return { status: database === 'ok' ? 'ok' : 'degraded', version: APP_VERSION, uptime_s: Math.round((Date.now() - started) / 1000), database };
    },
  });
}
