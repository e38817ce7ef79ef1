// Shared by the benchmarks: a Bob server tuned for load from one machine, and the chat load.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { loadConfig } from '../src/server/config';
import { createLogger } from '../src/server/logger';
import { createTenantsRepo } from '../src/server/modules/tenants/tenants.repo';
import { createWidgetKeysRepo } from '../src/server/modules/widget-keys/widget-keys.repo';
import { startServer } from '../src/server/server';

export const CONNECTIONS = 50;
export const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
export const ORIGIN = 'http://localhost:5173';

/** Bob on a temp data dir; one IP sends everything, so the per-IP and per-session limits are lifted. */
export async function startBenchServer(env: Record<string, string> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-bench-'));
  const config = loadConfig({ BOB_DATA_DIR: dataDir, BOB_PORT: '0', BOB_LOG_LEVEL: 'silent', ...env });
  const bob = await startServer({ config, logger: createLogger('silent'), chatLimits: { perSessionPerMinute: 1e9, perIpPerMinute: 1e9 } });
  const storage = bob.database.storage;
  const tenant = (await createTenantsRepo(storage).bySlug('business-co'))!;
  const key = (await createWidgetKeysRepo(storage).forTenant(tenant.id))[0]!.key;
  return {
    bob,
    key,
    close: async () => {
      await bob.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs a pricing question from `sessions` rotating visitor sessions for DURATION_S seconds. */
export function chatLoad(url: string, headers: Record<string, string>, sessions: number, tag = 'bench') {
  let n = 0;
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: DURATION_S,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    requests: [{ setupRequest: (req) => ({ ...req, body: JSON.stringify({ session_id: `${tag}_${n++ % sessions}`, message: 'How much is Pro?' }) }) }],
  });
}

export const fmt = (r: autocannon.Result) => ({
  'req/s': Math.round(r.requests.average),
  'p50 ms': r.latency.p50,
  'p99 ms': r.latency.p99,
  errors: r.errors + r.non2xx,
});
