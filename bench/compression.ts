// npm run bench:compression — what a browser downloads: the bytes Bob actually sends for the widget,
// Mission Control's script and stylesheet and a large JSON answer, as they are, gzip and brotli
// (counted on the wire over node:http, which decodes nothing), and the time each takes to arrive.
// Bob runs in its own process (bench/harness.ts); only loopback is contacted.
import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { call, DEMO_OWNER, machine, median, recordResults, signIn, spawnBob } from './harness';

const ENCODINGS = [
  { name: 'identity', accept: 'identity' },
  { name: 'gzip', accept: 'gzip' },
  { name: 'brotli', accept: 'gzip, deflate, br' }, // what browsers send
] as const;
const ROUNDS = 15;

interface Wire {
  status: number;
  encoding: string;
  vary: string;
  bytes: number;
  /** Decoded length, to check every encoding carries the same content. */
  decoded: number;
  ms: number;
}

function get(url: string, accept: string): Promise<Wire> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers: { 'Accept-Encoding': accept }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const encoding = String(res.headers['content-encoding'] ?? 'identity');
        const decoded = encoding === 'br' ? brotliDecompressSync(body) : encoding === 'gzip' ? gunzipSync(body) : body;
        resolve({ status: res.statusCode!, encoding, vary: String(res.headers.vary ?? ''), bytes: body.length, decoded: decoded.length, ms: performance.now() - started });
      });
    });
    req.on('error', reject);
  });
}

const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
const fmt = (n: number) => n.toLocaleString('en-US');

async function main() {
  const bob = await spawnBob();
  try {
    const owner = await signIn(bob.url, DEMO_OWNER.email, DEMO_OWNER.password);
    const tenant = await call<{ id: string }>(bob.url, 'GET', '/api/tenant', undefined, owner);
    const html = (await (await fetch(new URL('/app/', bob.url))).text());
    const asset = (ext: string) => {
      const m = html.match(new RegExp(`(?:src|href)="(?:\\./|/app/)?(assets/[^"]+\\.${ext})"`));
      if (!m) throw new Error(`no .${ext} asset in Mission Control's index.html: run \`npm run build\``);
      return `/app/${m[1]}`;
    };
    const targets = [
      { what: 'widget.js', path: `/widget/${tenant.id}/widget.js` },
      { what: "Mission Control's script", path: asset('js') },
      { what: "Mission Control's stylesheet", path: asset('css') },
      { what: 'GET /api/openapi.json', path: '/api/openapi.json' },
    ];

    const rows: string[] = [];
    const notes: string[] = [];
    let widget: Record<string, number> = {};
    for (const t of targets) {
      const url = new URL(t.path, bob.url).href;
      const sizes: Record<string, number> = {};
      const times: Record<string, number> = {};
      for (const e of ENCODINGS) {
        const first = await get(url, e.accept);
        if (first.status !== 200) throw new Error(`${t.path} (${e.accept}): ${first.status}`);
        const expected = e.name === 'identity' ? 'identity' : e.name === 'gzip' ? 'gzip' : 'br';
        if (first.encoding !== expected) notes.push(`${t.what}: asked for ${e.accept}, got ${first.encoding}`);
        if (!/accept-encoding/i.test(first.vary)) notes.push(`${t.what} (${e.name}): no Vary: Accept-Encoding`);
        sizes[e.name] = first.bytes;
        const ms: number[] = [];
        for (let i = 0; i < ROUNDS; i++) {
          const r = await get(url, e.accept);
          if (r.bytes !== first.bytes && e.name !== 'identity') notes.push(`${t.what} (${e.name}): ${r.bytes} B, then ${first.bytes} B`);
          if (r.decoded !== sizes.identity && sizes.identity !== undefined) notes.push(`${t.what} (${e.name}): decodes to ${r.decoded} B, not ${sizes.identity} B`);
          ms.push(r.ms);
        }
        times[e.name] = median(ms);
      }
      if (t.what === 'widget.js') widget = sizes;
      const pct = (n: number) => `${((n / sizes.identity!) * 100).toFixed(0)} %`;
      rows.push(
        `| ${t.what} | ${fmt(sizes.identity!)} B | ${fmt(sizes.gzip!)} B (${pct(sizes.gzip!)}) | ${fmt(sizes.brotli!)} B (${pct(sizes.brotli!)}) | ` +
          `${times.identity!.toFixed(1)} / ${times.gzip!.toFixed(1)} / ${times.brotli!.toFixed(1)} ms |`,
      );
      console.log(
        `${t.what.padEnd(30)} identity ${fmt(sizes.identity!).padStart(9)} B   gzip ${fmt(sizes.gzip!).padStart(9)} B   brotli ${fmt(sizes.brotli!).padStart(9)} B   ` +
          `(median time to last byte ${times.identity!.toFixed(1)} / ${times.gzip!.toFixed(1)} / ${times.brotli!.toFixed(1)} ms)`,
      );
    }
    const unique = [...new Set(notes)];
    for (const n of unique) console.log(`! ${n}`);

    const md = [
      '## On the wire: what a browser downloads',
      '',
      `${machine()}; bytes as sent by Bob (${bob.compiled ? 'compiled' : 'under tsx'}, its own process) for each \`Accept-Encoding\`, read over node:http without decoding; time to the last byte over loopback, median of ${ROUNDS}.`,
      '',
      '| | identity | gzip | brotli (`gzip, deflate, br`) | time identity / gzip / brotli |',
      '|---|---|---|---|---|',
      ...rows,
      '',
      `- The widget a browser downloads: ${kb(widget.brotli!)} brotli, ${kb(widget.gzip!)} gzip (${kb(widget.identity!)} as it is).`,
      unique.length ? `- Problems: ${unique.join('; ')}` : '- Every response carried `Vary: Accept-Encoding` and decoded to the same bytes as identity.',
    ].join('\n');
    recordResults('compression', md);
    console.log('\nbench/RESULTS.md: section "compression" updated');
    if (unique.length) process.exitCode = 1;
  } finally {
    await bob.stop();
  }
}

void main();
