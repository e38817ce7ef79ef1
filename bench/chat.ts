// npm run bench:chat — POST /api/widget/chat and POST /api/chat, every request a new visitor
// (its own session_id and X-Forwarded-For), beside bare node:http and Koa JSON echo servers, each
// in its own process with the load generator in another: medians of interleaved rounds.
import { clean, combine, machine, ORIGIN, prepareBusiness, recordResults, runLoad, spawnBob, spawnEcho, spawnFloor, statusMix, type LoadResult, type LoadSpec } from './harness';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = 50;
const GOAL = { share: 0.25, p99: 50 };

async function main() {
  const [bob, koa, http, floor] = [await spawnBob(), await spawnEcho('koa'), await spawnEcho('http'), await spawnFloor()];
  try {
    const { key } = await prepareBusiness(bob);
    const targets: Record<string, LoadSpec> = {
      'bare node:http JSON echo': { url: `${http.url}/`, body: 'chat' },
      'bare Koa 3 JSON echo': { url: `${koa.url}/`, body: 'chat' },
      'floor: bare Koa + one chat\'s writes': { url: `${floor.url}/`, body: 'chat' },
      'POST /api/widget/chat': { url: `${bob.url}/api/widget/chat`, body: 'chat', headers: { 'x-widget-key': key, origin: ORIGIN }, distinctAddresses: true },
      'POST /api/chat': { url: `${bob.url}/api/chat`, body: 'chat', businessId: 'business-co', distinctAddresses: true },
    };
    // Warm-up: JIT and caches, not measured.
    for (const spec of Object.values(targets)) await runLoad({ ...spec, connections: CONNECTIONS, durationS: 2 });
    const rounds: Record<string, LoadResult[]> = Object.fromEntries(Object.keys(targets).map((k) => [k, []]));
    for (let r = 0; r < ROUNDS; r++) {
      for (const [name, spec] of Object.entries(targets)) rounds[name]!.push(await runLoad({ ...spec, connections: CONNECTIONS, durationS: DURATION_S }));
    }
    const results = Object.fromEntries(Object.entries(rounds).map(([k, v]) => [k, combine(v)]));
    const koaRps = results['bare Koa 3 JSON echo']!.rps;
    const rows = Object.entries(results).map(([name, r]) => ({ name, r, share: r.rps / koaRps }));

    const lines = [
      `## Chat with a new visitor per request`,
      ``,
      `${machine()}; ${CONNECTIONS} connections, ${DURATION_S} s, medians of ${ROUNDS} interleaved rounds; Bob ${bob.compiled ? 'compiled' : 'under tsx'}, each server and the load generator in its own process.`,
      ``,
      `| | req/s | p50 | p99 | vs bare Koa | responses |`,
      `|---|---|---|---|---|---|`,
      ...rows.map(({ name, r, share }) => `| ${name} | ${Math.round(r.rps).toLocaleString('en')} | ${r.p50} ms | ${r.p99} ms | ${(share * 100).toFixed(1)} % | ${statusMix(r)}${clean(r) ? '' : ' — **does not count**'} |`),
    ];
    const verdicts = rows.filter(({ name }) => name.startsWith('POST')).map(({ name, r, share }) => {
      const ok = clean(r) && share >= GOAL.share && r.p99 <= GOAL.p99;
      return `- ${name}: ${ok ? 'meets' : 'misses'} the goal (≥ ${GOAL.share * 100} % of bare Koa, p99 ≤ ${GOAL.p99} ms)`;
    });
    const notes = [
      '',
      "The floor is bare Koa plus only the durable writes of one new visitor's chat (its session, the visitor's message and the reply, their three events) through Bob's own storage and group commit (bench/floor-server.ts): no key check, limits, responder or credits. Bob cannot be faster than its floor on the same machine.",
    ];
    const md = [...lines, ...notes, '', ...verdicts].join('\n');
    console.log(`\n${md}\n`);
    recordResults('chat', md);
  } finally {
    await Promise.all([bob.stop(), koa.stop(), http.stop(), floor.stop()]);
  }
}

void main();
