// npm run bench:model — time to first token of a streamed answer: straight from a local
// OpenAI-compatible server vs through Bob (POST /api/widget/chat with "stream": true: prompt
// building, the price guard holding numbers until their unit is seen, SSE), in the same run.
import { startFakeOpenAi } from '../test/helpers/fake-openai';
import { postStream } from '../test/helpers/sse';
import { ORIGIN, prepareBusiness, spawnBob } from './harness';

const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const CHUNK_MS = 20; // a quick local model: ~50 tokens/s
// Business Co's published catalog: a tax return is €180 each, an initial consultation €90 per hour (the price guard lets both through).
const TEXT = 'Hello! A tax return costs €180 each, and an initial consultation is €90 per hour. Shall I tell you about monthly bookkeeping too?';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p90 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.9)]!;

async function directFirstToken(url: string): Promise<{ first: number; total: number }> {
  const started = performance.now();
  const res = await fetch(`${url}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'fake-model', stream: true, messages: [{ role: 'user', content: 'Pro?' }] }) });
  let first = 0;
  for await (const chunk of res.body!) {
    if (!first && new TextDecoder().decode(chunk as Uint8Array).includes('"content"')) first = performance.now() - started;
  }
  return { first, total: performance.now() - started };
}

async function main() {
  const fake = await startFakeOpenAi({ mode: { kind: 'reply', text: TEXT, chunkDelayMs: CHUNK_MS } });
  // Bob in its own process, as production runs it.
  const bob = await spawnBob({ BOB_LLM_BASE_URL: fake.url, BOB_LLM_MODEL: 'fake-model' });
  const { key } = await prepareBusiness(bob);
  const direct: { first: number; total: number }[] = [];
  const viaBob: { first: number; total: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    direct.push(await directFirstToken(fake.url));
    const r = await postStream(`${bob.url}/api/widget/chat`, { session_id: `ttft_${i}`, message: 'How much is a tax return?' }, { 'x-widget-key': key, origin: ORIGIN });
    const first = r.events.find((e) => e.event === 'token')!;
    const reply = r.events.find((e) => e.event === 'reply')!;
    if (reply.data.reply !== TEXT) throw new Error(`Bob did not pass the model's answer through: ${reply.data.reply}`);
    viaBob.push({ first: first.at, total: reply.at });
  }
  const row = (xs: { first: number; total: number }[]) => ({
    'first token p50 ms': Math.round(median(xs.map((x) => x.first))),
    'first token p90 ms': Math.round(p90(xs.map((x) => x.first))),
    'whole answer p50 ms': Math.round(median(xs.map((x) => x.total))),
  });
  console.log(`\nTime to first token, ${RUNS} streamed answers each (fake model: ${CHUNK_MS} ms per token, ${TEXT.split(' ').length} words)\n`);
  console.table({ 'model server directly': row(direct), 'through Bob (widget chat)': row(viaBob) });
  console.log(`Bob adds ${Math.round(median(viaBob.map((x) => x.first)) - median(direct.map((x) => x.first)))} ms to the first token (median).`);
  await bob.stop();
  await fake.close();
}

void main();
