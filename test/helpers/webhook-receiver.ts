import http from 'node:http';
import type { AddressInfo } from 'node:net';
// The Standard Webhooks reference implementation: verifies our signatures independently.
import { Webhook } from 'standardwebhooks';

export interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  type: string;
  data: Record<string, unknown>;
  /** Which of the receiver's secrets verified the signature ('' = none). */
  verifiedWith: string;
}

/** `delayMs`: the answer is held that long (a slow receiver). */
type Reply = (r: Received, req: http.IncomingMessage) => { status: number; body?: string; headers?: Record<string, string>; delayMs?: number } | 'hang';

/**
 * A webhook receiver on 127.0.0.1, as a business's CRM would run one. It can be taken down and
 * brought back on the same port, and told how to answer.
 */
export async function startReceiver(opts: { port?: number } = {}) {
  const received: Received[] = [];
  let secrets: string[] = [];
  let reply: Reply = () => ({ status: 204 });
  const hanging = new Set<http.ServerResponse>();
  let server: http.Server | undefined;
  let port = opts.port ?? 0;
  // Requests from their arrival to the end of their answer (or of their connection).
  let inFlight = 0;
  let maxInFlight = 0;

  const handle = (req: http.IncomingMessage, res: http.ServerResponse) => {
    maxInFlight = Math.max(maxInFlight, ++inFlight);
    res.on('close', () => inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = { 'webhook-id': String(req.headers['webhook-id']), 'webhook-timestamp': String(req.headers['webhook-timestamp']), 'webhook-signature': String(req.headers['webhook-signature']) };
      const verifiedWith =
        secrets.find((s) => {
          try {
            new Webhook(s).verify(body, headers);
            return true;
          } catch {
            return false;
          }
        }) ?? '';
      let parsed: { type?: string; data?: Record<string, unknown> } = {};
      try {
        parsed = JSON.parse(body);
      } catch {
        /* recorded as is */
      }
      const r: Received = { id: headers['webhook-id'], timestamp: headers['webhook-timestamp'], signature: headers['webhook-signature'], body, type: parsed.type ?? '', data: parsed.data ?? {}, verifiedWith };
      received.push(r);
      const answer = reply(r, req);
      if (answer === 'hang') return void hanging.add(res);
      const send = () => {
        if (res.destroyed) return;
        res.writeHead(answer.status, answer.headers);
        res.end(answer.body ?? '');
      };
      if (answer.delayMs) setTimeout(send, answer.delayMs);
      else send();
    });
  };

  async function up() {
    server = http.createServer(handle);
    await new Promise<void>((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => resolve());
    });
    port = (server.address() as AddressInfo).port;
  }
  async function down() {
    for (const res of hanging) res.destroy();
    hanging.clear();
    if (!server) return;
    const s = server;
    server = undefined;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  await up();
  return {
    get url() {
      return `http://127.0.0.1:${port}/hooks/bob?token=abc`;
    },
    get port() {
      return port;
    },
    received,
    /** The most requests it had at once. */
    get maxInFlight() {
      return maxInFlight;
    },
    /** Secrets to verify with (whsec_…); the receiver records which one verified each request. */
    trust(...s: string[]) {
      secrets = s;
    },
    answer(fn: Reply) {
      reply = fn;
    },
    up,
    down,
    close: down,
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
