// npm run bench:scale — chat throughput with a new visitor per request (its own session_id and
// X-Forwarded-For) on SQLite, on PostgreSQL with one Bob instance and on PostgreSQL with two
// instances sharing one database (each instance its own process, the load split between them and
// the throughputs summed), beside a bare Koa JSON echo; medians of interleaved rounds. The
// PostgreSQL cluster is a throwaway one in a temp dir, stopped and removed at the end.
import os from 'node:os';
import { startPgCluster, type PgCluster } from '../test/helpers/pg-cluster';
import { createTestDatabase, prepareTemplate } from '../test/helpers/test-database';
import { clean, combine, machine, ORIGIN, prepareBusiness, recordResults, runLoad, spawnBob, spawnEcho, statusMix, type LoadResult, type LoadSpec, type Proc } from './harness';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = 50;
/** The second load generator's visitors start here (10.128.0.0/9), so no address is seen twice. */
const SECOND_HALF = 1 << 23;
/**
 * Between runs: the requests in flight when a run's load generator stopped (up to one per
 * connection, a second's work for a slow target) finish before the next run starts.
 */
const SETTLE_MS = 2000;
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE_MS));

const chatSpec = (bob: Proc, key: string): LoadSpec => ({ url: `${bob.url}/api/widget/chat`, body: 'chat', headers: { 'x-widget-key': key, origin: ORIGIN }, distinctAddresses: true });

/** One round on several instances at once, each getting its share of the connections: req/s summed, the worse latency, the responses added up. */
async function spread(specs: LoadSpec[], durationS: number): Promise<LoadResult> {
  const share = Math.floor(CONNECTIONS / specs.length);
  const parts = await Promise.all(specs.map((spec, i) => runLoad({ ...spec, connections: share, durationS, addressOffset: i * SECOND_HALF })));
  const statuses: Record<string, number> = {};
  for (const p of parts) for (const [s, n] of Object.entries(p.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
  return {
    requests: parts.reduce((a, p) => a + p.requests, 0),
    rps: parts.reduce((a, p) => a + p.rps, 0),
    p50: Math.max(...parts.map((p) => p.p50)),
    p99: Math.max(...parts.map((p) => p.p99)),
    errors: parts.reduce((a, p) => a + p.errors, 0),
    timeouts: parts.reduce((a, p) => a + p.timeouts, 0),
    statuses,
  };
}

async function main() {
  const procs: Proc[] = [];
  let cluster: PgCluster | undefined;
  const cleanUp = async () => {
    await Promise.all(procs.map((p) => p.stop()));
    cluster?.stop();
  };
  // Ctrl-C: the Bob processes and the cluster go too.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void cleanUp().finally(() => process.exit(130)));
  try {
    cluster = await startPgCluster();
    await prepareTemplate(cluster.url);
    process.env.BOB_TEST_PG_ADMIN = cluster.url; // what createTestDatabase copies the template on
    const databaseUrl = await createTestDatabase();

    const koa = await spawnEcho('koa');
    procs.push(koa);
    const sqlite = await spawnBob();
    procs.push(sqlite);
    // The first instance seeds the demo on the empty database; the business is prepared once, in
    // the shared database, before the second instance starts.
    const pgA = await spawnBob({ BOB_DATABASE_URL: databaseUrl, BOB_INSTANCE_ID: 'bench-a' });
    procs.push(pgA);
    const { key: sqliteKey } = await prepareBusiness(sqlite);
    const { key: pgKey } = await prepareBusiness(pgA);
    const pgB = await spawnBob({ BOB_DATABASE_URL: databaseUrl, BOB_INSTANCE_ID: 'bench-b' });
    procs.push(pgB);

    const targets: Record<string, { instances: number; run: (durationS: number) => Promise<LoadResult> }> = {
      'bare Koa 3 JSON echo': { instances: 1, run: (d) => runLoad({ url: `${koa.url}/`, body: 'chat', connections: CONNECTIONS, durationS: d }) },
      'SQLite': { instances: 1, run: (d) => runLoad({ ...chatSpec(sqlite, sqliteKey), connections: CONNECTIONS, durationS: d }) },
      'PostgreSQL, 1 instance': { instances: 1, run: (d) => runLoad({ ...chatSpec(pgA, pgKey), connections: CONNECTIONS, durationS: d }) },
      'PostgreSQL, 2 instances': { instances: 2, run: (d) => spread([chatSpec(pgA, pgKey), chatSpec(pgB, pgKey)], d) },
    };
    // Warm-up: JIT, caches and pools, not measured.
    for (const t of Object.values(targets)) {
      await t.run(2);
      await settle();
    }
    const rounds: Record<string, LoadResult[]> = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, t] of Object.entries(targets)) {
        rounds[name]!.push(await t.run(DURATION_S));
        await settle();
      }
    }
    const results = Object.fromEntries(Object.entries(rounds).map(([k, v]) => [k, combine(v)]));
    const koaRps = results['bare Koa 3 JSON echo']!.rps;
    const sqliteRps = results['SQLite']!.rps;
    const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

    const lines = [
      `## Scale: chat on SQLite and on PostgreSQL with 1 and 2 instances (\`npm run bench:scale\`)`,
      ``,
      `${machine()}; POST /api/widget/chat, every request a new visitor (session_id and X-Forwarded-For); ${CONNECTIONS} connections in all, ${DURATION_S} s, medians of ${ROUNDS} interleaved rounds; Bob ${pgA.compiled ? 'compiled' : 'under tsx'}, each instance, the echo server and each load generator in its own process; PostgreSQL a throwaway local cluster started as \`test/helpers/pg-cluster.ts\` starts it (fsync and synchronous_commit off: not a durable setup).`,
      ``,
      `| | instances | req/s | p50 | p99 | vs bare Koa | vs SQLite | responses |`,
      `|---|---|---|---|---|---|---|---|`,
      ...Object.entries(results).map(([name, r]) => {
        const instances = name.startsWith('bare') ? '' : String(targets[name]!.instances);
        const vsSqlite = name.startsWith('bare') ? '' : pct(r.rps / sqliteRps);
        return `| ${name} | ${instances} | ${Math.round(r.rps).toLocaleString('en')} | ${r.p50} ms | ${r.p99} ms | ${pct(r.rps / koaRps)} | ${vsSqlite} | ${statusMix(r)}${clean(r) ? '' : ' — **does not count**'} |`;
      }),
    ];
    const notes = [
      '',
      '- 2 instances: two Bob processes on the same database (`BOB_DATABASE_URL`), each load generator aimed at one of them with half the connections and its own visitor addresses; req/s summed, p50/p99 the worse of the two.',
      '- The second instance idles (started, no requests) during the 1-instance runs.',
      `- **Caveat**: the machine's ${os.cpus().length} cores carry the load generators, PostgreSQL and the instances at once, so the 2-instance figure measures contention for those cores, not what a second machine would add.`,
      '- A run with errors, timeouts or any non-2xx response (a 429 included) does not count.',
    ];
    const md = [...lines, ...notes].join('\n');
    console.log(`\n${md}\n`);
    recordResults('scale', md);
  } finally {
    await cleanUp();
  }
}

void main();
