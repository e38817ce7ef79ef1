// Hostile input: requests generated from /api/openapi.json for every operation, with values that
// break the schema or sit on its edges, sent anonymous, as an agent, the owner and the admin.
// No 5xx, every error in the {error: {code, message}} shape, and Bob still healthy afterwards.
// The fast-check seed is printed; BOB_RELIABILITY_SEED=<seed> replays a run.
import http from 'node:http';
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import { api, bobProcesses, login, loginAdmin, loginOwner, n, report, SIZES } from './lib';

const SEED = Number(process.env.BOB_RELIABILITY_SEED ?? 15_2026);
const procs = bobProcesses();
afterAll(() => procs.cleanup());

/** Operations that would end the run's own sessions or send traffic off this machine. */
const SKIP = new Set([
  'POST /api/auth/logout', // revokes our own token
  'POST /api/auth/password', // changes our own password
  'PUT /api/settings/model', // would point the responder at a generated (non-loopback) URL
  'POST /api/settings/model/test', // calls the model URL in the body
  'PUT /api/settings/network', // re-listens elsewhere
  'POST /api/settings/network/check', // calls the public address
]);

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: Schema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, Schema>;
  required?: string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
};
interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: Schema;
}
interface Operation {
  method: string;
  path: string;
  params: Param[];
  body?: Schema;
  security: unknown[];
}

const TRAVERSAL = ['..', '../../../../etc/passwd', '..%2f..%2f..%2fetc%2fpasswd', '%2e%2e%2f%2e%2e%2f', '....//....//etc/passwd', '..\\..\\windows\\win.ini', '/etc/passwd', '%00', 'a%00b', '.', '%', '%zz'];
const STRINGS = [
  '',
  ' ',
  '\u0000',
  '\uFFFF',
  '\uD800', // a lone surrogate
  '\u202Eevil',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🚀 ﷽ 👩‍👩‍👧‍👦',
  '<script>alert(1)</script>',
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  '${7*7}{{7*7}}',
  'NaN',
  'Infinity',
  '-1',
  '1e309',
  '2026-13-45T99:99:99Z',
  'null',
  'true',
  '__proto__',
  'constructor',
  ...TRAVERSAL,
];
const HUGE = ['x'.repeat(100_000), '💥'.repeat(30_000), 'a'.repeat(1_100_000)];
const NUMBERS = [0, -0, -1, 1, 1.5, -1e308, 1e308, 2 ** 31, -(2 ** 31) - 1, 2 ** 53 + 1, -(2 ** 63), Number.MIN_VALUE];
const MALFORMED = [
  '{',
  '{"a":',
  '[1,2',
  '{"a":1}}',
  "{'a':1}",
  '{"a":1,}',
  'undefined',
  '\uFEFF{}',
  '[]',
  'null',
  '"text"',
  '0',
  '{"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}}',
  '['.repeat(50_000) + ']'.repeat(50_000),
  '{"a":"\\ud800"}',
  '{"a":1e999999}',
  '',
];

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, [], {}, [[[[]]]], { a: { b: { c: {} } } }, ...STRINGS, ...NUMBERS),
  fc.constantFrom<unknown>(...HUGE),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.integer(),
  fc.double({ noNaN: true }),
  fc.jsonValue({ maxDepth: 3 }),
);

function makeArbitraries(spec: { components?: { schemas?: Record<string, Schema> } }) {
  const resolve = (s: Schema | undefined): Schema => {
    let cur = s ?? {};
    for (let i = 0; cur.$ref && i < 20; i++) cur = spec.components?.schemas?.[cur.$ref.replace('#/components/schemas/', '')] ?? {};
    return cur;
  };

  /** Values that satisfy the schema (roughly): a request deep enough to reach the handler. */
  function valid(s0: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
    const s = resolve(s0);
    if (depth > 5) return fc.constant(null);
    if (s.const !== undefined) return fc.constant(s.const);
    if (s.enum?.length) return fc.constantFrom(...s.enum);
    const alts = s.anyOf ?? s.oneOf;
    if (alts?.length) return fc.oneof(...alts.map((a) => valid(a, depth + 1)));
    if (s.allOf?.length) return valid(s.allOf[0], depth + 1);
    const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
    switch (type) {
      case 'string': {
        if (s.format === 'email') return fc.emailAddress();
        if (s.format === 'uuid') return fc.uuid();
        if (s.format === 'date-time') return fc.date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') }).map((d) => d.toISOString());
        if (s.format === 'date') return fc.date({ noInvalidDate: true, min: new Date('2000-01-01'), max: new Date('2100-01-01') }).map((d) => d.toISOString().slice(0, 10));
        if (s.format === 'uri') return fc.constantFrom('http://127.0.0.1:9/hook', 'http://[::1]:9/', 'http://localhost:9/x');
        if (s.pattern) {
          try {
            return fc.stringMatching(new RegExp(s.pattern)).filter((v) => v.length <= (s.maxLength ?? 10_000) && v.length >= (s.minLength ?? 0));
          } catch {
            /* an unsupported pattern: plain strings below */
          }
        }
        const min = s.minLength ?? 0;
        return fc.string({ minLength: min, maxLength: Math.max(min, Math.min(s.maxLength ?? 40, 40)) });
      }
      case 'integer':
      case 'number': {
        const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -1000);
        const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : Math.max(min, 0) + 1000);
        const lo = Math.max(min, -1e9);
        const hi = Math.min(Math.max(max, lo), 1e9);
        return type === 'integer' ? fc.integer({ min: Math.ceil(lo), max: Math.floor(hi) }) : fc.double({ min: lo, max: hi, noNaN: true });
      }
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(valid(s.items, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)) });
      case 'object':
      default: {
        if (!s.properties) return type === 'object' ? fc.constant({}) : fc.jsonValue({ maxDepth: 2 });
        const props = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, valid(v, depth + 1)]));
        return fc.record(props, { requiredKeys: (s.required ?? []).filter((k) => k in props) });
      }
    }
  }

  /** Mostly-valid values with hostile parts: wrong types, edges, missing required, unknown keys. */
  function mutated(s0: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
    const s = resolve(s0);
    if (s.properties && depth < 4) {
      const props = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, fc.oneof({ weight: 3, arbitrary: valid(v, depth + 1) }, { weight: 1, arbitrary: mutated(v, depth + 1) })]));
      return fc
        .tuple(fc.record(props, { requiredKeys: [] }), fc.option(fc.tuple(fc.constantFrom('unknown', 'admin', 'role', 'tenant_id', 'id', 'is_admin', 'x'.repeat(1000)), hostile), { freq: 3 }))
        .map(([obj, extra]) => (extra ? { ...obj, [extra[0]]: extra[1] } : obj));
    }
    return fc.oneof({ weight: 1, arbitrary: valid(s, depth) }, { weight: 2, arbitrary: hostile });
  }
  return { valid, mutated };
}

interface Sent {
  op: string;
  as: string;
  method: string;
  path: string;
  status: number;
  body: string;
}

function send(base: URL, method: string, pathAndQuery: string, headers: Record<string, string>, body: string | undefined, agent: http.Agent): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    let req: http.ClientRequest;
    try {
      req = http.request({ host: base.hostname, port: base.port, method, path: pathAndQuery, headers: { ...headers, ...(body !== undefined ? { 'Content-Length': String(Buffer.byteLength(body)) } : {}) }, agent, timeout: 15_000 });
    } catch {
      // Characters Node refuses to put in a request line: send them percent-encoded.
      return resolve(send(base, method, encodeURI(pathAndQuery), headers, body, agent));
    }
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.on('response', (res) => {
      const type = String(res.headers['content-type'] ?? '');
      if (type.startsWith('text/event-stream')) {
        // A stream that stays open: the headers are the answer.
        res.destroy();
        return resolve({ status: res.statusCode ?? 0, type, body: '' });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size < 1_000_000) chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.end(body);
  });
}

/** encodeURIComponent that also takes lone surrogates (sent as invalid UTF-8: %ED%A0%80). */
function enc(v: string): string {
  try {
    return encodeURIComponent(v);
  } catch {
    return [...v].map((ch) => (/[\uD800-\uDFFF]/.test(ch) && ch.length === 1 ? '%ED%A0%80' : encodeURIComponent(ch))).join('');
  }
}

function errorShaped(r: { type: string; body: string }) {
  if (!r.type.includes('json')) return false;
  try {
    const b = JSON.parse(r.body) as { error?: { code?: unknown; message?: unknown } };
    return typeof b?.error?.code === 'string' && typeof b.error.message === 'string';
  } catch {
    return false;
  }
}

it(`hostile requests from the OpenAPI document never get a 5xx or an error outside {error: {code, message}}`, async () => {
  const bob = await procs.start();
  const base = new URL(bob.url);
  const spec = (await (await fetch(new URL('/api/openapi.json', bob.url))).json()) as {
    paths: Record<string, Record<string, { parameters?: Param[]; requestBody?: { content?: Record<string, { schema?: Schema }> }; security?: unknown[] }>>;
    components?: { schemas?: Record<string, Schema> };
  };

  // Identities: anonymous, an agent made through the team API, the owner and the platform admin.
  const ownerToken = await loginOwner(bob.url);
  const agentLogin = { email: `agent-${Date.now()}@business.com`, password: 'agent-password-123' };
  const added = await api(bob.url, ownerToken, 'POST', '/api/team', { ...agentLogin, name: 'Fuzz Agent', role: 'agent' });
  expect(added.status, JSON.stringify(added.body)).toBe(201);
  const tokens: Record<string, string | null> = { anonymous: null, agent: await login(bob.url, agentLogin), owner: ownerToken, admin: await loginAdmin(bob.url) };
  const logins: Record<string, () => Promise<string>> = { agent: () => login(bob.url, agentLogin), owner: () => loginOwner(bob.url), admin: () => loginAdmin(bob.url) };
  const widgetKey = ((await api<{ data: { key?: string; mode: string }[] }>(bob.url, ownerToken, 'GET', '/api/widget-keys')).body.data ?? []).find((k) => k.mode === 'live')?.key ?? '';

  // Real ids to put in paths now and then, so generated bodies reach the handlers behind them.
  const ids: string[] = [];
  for (const p of ['/api/personas', '/api/faq', '/api/webhooks', '/api/widget-keys']) {
    const list = (await api<{ data?: { id: string }[] }>(bob.url, ownerToken, 'GET', p)).body.data ?? [];
    ids.push(...list.map((x) => x.id));
  }
  ids.push('1', '2', '0', '-1', '999999999999');

  const ops: Operation[] = [];
  for (const [p, byMethod] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(byMethod)) {
      const m = method.toUpperCase();
      if (SKIP.has(`${m} ${p}`)) continue;
      const body = op.requestBody?.content?.['application/json']?.schema;
      ops.push({ method: m, path: p, params: op.parameters ?? [], body, security: op.security ?? [] });
    }
  }
  const { valid, mutated } = makeArbitraries(spec);
  const pathValue = fc.oneof(
    { weight: 2, arbitrary: fc.constantFrom(...ids) },
    { weight: 2, arbitrary: fc.constantFrom(...TRAVERSAL).map((t) => ({ raw: t })) },
    { weight: 1, arbitrary: fc.uuid() },
    { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
    { weight: 1, arbitrary: fc.constantFrom('x'.repeat(5000), '💥'.repeat(500)) },
  );
  const bodyArb = (op: Operation) =>
    fc.oneof(
      { weight: 5, arbitrary: mutated(op.body).map((v) => ({ json: v })) },
      { weight: 2, arbitrary: valid(op.body).map((v) => ({ json: v })) },
      { weight: 2, arbitrary: fc.constantFrom(...MALFORMED).map((raw) => ({ raw })) },
      { weight: 1, arbitrary: hostile.map((v) => ({ json: v })) },
      { weight: 1, arbitrary: fc.constant({ none: true }) },
    );
  const requestArb = (op: Operation) =>
    fc.record({
      path: fc.tuple(...op.params.filter((x) => x.in === 'path').map(() => pathValue), fc.constant(0)),
      query: fc.tuple(
        ...op.params.filter((x) => x.in === 'query').map((q) => fc.option(fc.oneof(valid(q.schema), hostile, fc.constantFrom(...STRINGS)), { freq: 2 })),
        fc.constant(null),
      ),
      extraQuery: fc.option(fc.constantFrom('business_id=../../x', 'limit=-1', 'limit=1e9', 'cursor=%00', 'a[b][c]=1', 'business_id=business-co&business_id=office16852-platform'), { freq: 4 }),
      body: op.body || ['POST', 'PUT', 'PATCH'].includes(op.method) ? bodyArb(op) : fc.constant({ none: true } as { none: true }),
      contentType: fc.constantFrom('application/json', 'application/json', 'application/json', 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1'),
      widget: fc.boolean(),
    });

  const perOp = Math.ceil(SIZES.hostileRequests / ops.length);
  const roles = Object.keys(tokens);
  type Req = ReturnType<typeof requestArb> extends fc.Arbitrary<infer R> ? R : never;
  const jobs: { op: Operation; as: string; req: Req }[] = [];
  ops.forEach((op, i) => {
    const samples = fc.sample(requestArb(op), { seed: SEED + i, numRuns: perOp });
    samples.forEach((req, j) => jobs.push({ op, as: roles[(i + j) % roles.length]!, req }));
  });

  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const fiveXx: Sent[] = [];
  const badShape: Sent[] = [];
  // Over Node's 16 KiB header limit the server answers 431 (in the error shape) and closes at
  // once; while the client is still writing, that can arrive as a reset: counted and shown.
  const byParser: Sent[] = [];
  const failures: string[] = [];
  let relogins = 0;
  let sent = 0;
  const statuses: Record<number, number> = {};
  const run = async (job: (typeof jobs)[number]) => {
    const { op, as, req } = job;
    const pathVals = req.path.slice(0, -1) as (string | { raw: string })[];
    let k = 0;
    const pathname = op.path.replace(/\{[^}]+\}/g, () => {
      const v = pathVals[k++]!;
      return typeof v === 'string' ? enc(v) : v.raw;
    });
    const qParams = op.params.filter((x) => x.in === 'query');
    const qs = qParams
      .map((q, i) => [q.name, req.query[i]] as const)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([name, v]) => `${enc(name)}=${enc(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`);
    if (req.extraQuery) qs.push(req.extraQuery);
    const url = pathname + (qs.length ? `?${qs.join('&')}` : '');
    let body: string | undefined;
    if ('json' in req.body) body = JSON.stringify(req.body.json) ?? 'null';
    else if ('raw' in req.body) body = req.body.raw;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (body !== undefined) headers['Content-Type'] = req.contentType;
    if (req.widget && widgetKey) Object.assign(headers, { 'X-Widget-Key': widgetKey, Origin: 'http://localhost:5173' });
    for (let attempt = 0; attempt < 2; attempt++) {
      const token = tokens[as];
      if (token) headers.Authorization = `Bearer ${token}`;
      let r: { status: number; type: string; body: string };
      try {
        r = await send(base, op.method, url, headers, body, agent);
      } catch (err) {
        // Over Node's 16 KiB header limit the parser answers 431 and closes at once; while we are
        // still writing, that can arrive as a reset instead of the 431.
        if (url.length > 16_000 && /ECONNRESET|EPIPE/.test(String(err))) {
          byParser.push({ op: `${op.method} ${op.path}`, as, method: op.method, path: url.slice(0, 200), status: 431, body: String(err) });
          sent++;
          return;
        }
        failures.push(`${op.method} ${url.slice(0, 120)} as ${as}: ${String(err)}`);
        return;
      }
      sent++;
      // A token that died (a generated request disabled or demoted the agent, say): sign in again.
      if (r.status === 401 && token && attempt === 0 && (await api(bob.url, token, 'GET', '/api/auth/me')).status === 401) {
        try {
          tokens[as] = await logins[as]!();
          relogins++;
          continue;
        } catch {
          tokens[as] = null;
        }
      }
      statuses[r.status] = (statuses[r.status] ?? 0) + 1;
      const record = { op: `${op.method} ${op.path}`, as, method: op.method, path: url.slice(0, 200), status: r.status, body: r.body.slice(0, 300) };
      if (r.status >= 500) fiveXx.push(record);
      else if (r.status >= 400 && (op.path.startsWith('/api/') || r.type.includes('json')) && !errorShaped(r)) badShape.push(record);
      return;
    }
  };
  const queue = [...jobs];
  const started = Date.now();
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await run(job);
    }),
  );
  agent.destroy();
  const health = await fetch(new URL('/api/health', bob.url));
  const alive = bob.child.exitCode === null && bob.child.signalCode === null;

  const byClass = (lo: number) => Object.entries(statuses).reduce((sum, [st, c]) => sum + (Number(st) >= lo && Number(st) < lo + 100 ? c : 0), 0);
  const summarize = (list: Sent[]) => [...new Set(list.map((x) => `${x.status} ${x.op}`))].slice(0, 12).join('; ');
  report(
    `hostile: seed ${SEED}, ${n(sent)} requests over ${ops.length} operations × ${roles.length} identities in ${((Date.now() - started) / 1000).toFixed(1)} s (${n(byClass(200))} 2xx, ${n(byClass(400))} 4xx), ` +
      `${n(fiveXx.length)} 5xx, ${n(badShape.length)} outside the error shape, ${n(failures.length)} without an answer, ` +
      `${n(byParser.length)} reset while sending a URL over 16 KiB, ${relogins} re-logins, /api/health ${health.status}` +
      (fiveXx.length ? `\n  5xx: ${summarize(fiveXx)}\n  first: ${JSON.stringify(fiveXx[0])}` : '') +
      (badShape.length ? `\n  outside the error shape: ${summarize(badShape)}\n  first: ${JSON.stringify(badShape[0])}` : '') +
      (failures.length ? `\n  no answer: ${failures.slice(0, 3).join(' | ')}` : ''),
  );
  expect(sent).toBeGreaterThanOrEqual(SIZES.hostileRequests * 0.95);
  expect(alive).toBe(true);
  expect(health.status).toBe(200);
  expect({ fiveXx: fiveXx.length, outsideErrorShape: badShape.length, noAnswer: failures.length }).toEqual({ fiveXx: 0, outsideErrorShape: 0, noAnswer: 0 });
}, 150_000);
