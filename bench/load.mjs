// The load generator, in its own process: autocannon with the spec given as JSON in argv[2]
// (see LoadSpec in harness.ts). With body "chat" every request is a new visitor: its own
// session_id and, with distinctAddresses, its own X-Forwarded-For. Prints the figures as JSON.
import { randomUUID } from 'node:crypto';
import autocannon from 'autocannon';

const spec = JSON.parse(process.argv[2]);
const QUESTIONS = ['How much is a tax return?', 'Are you open on Saturday?', 'Can I cancel my appointment?', 'Where are you?', 'What does the initial consultation cost?'];
let n = 0;
// 10.0.0.0/8 as header values only: nothing connects to them (every connection is to the loopback URL).
const address = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

const result = await autocannon({
  url: spec.url,
  method: spec.method ?? (spec.body === 'chat' ? 'POST' : 'GET'),
  connections: spec.connections ?? 50,
  ...(spec.amount ? { amount: spec.amount } : { duration: spec.durationS ?? 8 }),
  timeout: 10,
  headers: { ...(spec.body === 'chat' ? { 'content-type': 'application/json' } : {}), ...spec.headers },
  requests: [
    {
      setupRequest(req) {
        const i = n++;
        const headers = spec.distinctAddresses ? { ...req.headers, 'x-forwarded-for': address(i + 1 + (spec.addressOffset ?? 0)) } : req.headers;
        if (spec.body !== 'chat') return { ...req, headers };
        return { ...req, headers, body: JSON.stringify({ session_id: `v_${randomUUID()}`, message: QUESTIONS[i % QUESTIONS.length], business_id: spec.businessId }) };
      },
    },
  ],
});

const statuses = {};
for (const [code, { count }] of Object.entries(result.statusCodeStats ?? {})) statuses[code] = count;
process.stdout.write(
  JSON.stringify({
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    timeouts: result.timeouts,
    statuses,
  }),
);
