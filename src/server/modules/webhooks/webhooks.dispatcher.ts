// Delivers the webhook outbox: per endpoint strictly in order (only the oldest waiting delivery is
// ever attempted), endpoints in parallel, retried on the configured schedule with jitter. All state
// is in the database, so a restart (or a crash) resumes where it stopped: at-least-once delivery, with
// the same webhook-id on every attempt so receivers can de-duplicate.
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { Clock } from '../../clock';
import type { Logger } from '../../logger';
import type { UnitOfWork } from '../../storage/unit-of-work';
import { guardedLookup, hostOf, isPrivateAddress } from './address-guard';
import { LeaseLost, memoryLeases, type Lease, type LeaseStore } from './leases';
import { signedHeaders } from './signing';
import type { EndpointRow, WebhooksRepo } from './webhooks.repo';

export interface DeliveryPolicy {
  /** Waits after each failed attempt; the delivery gives up after the last (SPEC §11: configurable). */
  retryScheduleMs: number[];
  /** One attempt, from connecting to the end of the response. */
  timeoutMs: number;
  /** BOB_ALLOW_PRIVATE_WEBHOOKS: loopback and private targets allowed (local integrations, tests). */
  allowPrivate: boolean;
}

/** The schedule Standard Webhooks suggests: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h. */
export const DEFAULT_RETRY_SCHEDULE_MS = [5e3, 300e3, 1800e3, 7200e3, 18000e3, 36000e3, 36000e3];
export const DEFAULT_TIMEOUT_MS = 10_000;
const JITTER = 0.2; // ±20 %, so endpoints that failed together do not retry together
const CONCURRENCY = 16; // endpoints attempted at once
const RESPONSE_LOG_BYTES = 1024;
const KEEP_DAYS = 30;

export interface AttemptResult {
  url: string;
  status: number | null;
  body: string | null;
  error: string | null;
  durationMs: number;
}

const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/** One signed POST. Never throws: every outcome is an AttemptResult for the log. */
export function postSigned(
  endpoint: Pick<EndpointRow, 'url' | 'secret' | 'previous_secret' | 'previous_secret_expires_at'>,
  msgId: string,
  body: string,
  policy: DeliveryPolicy,
  now: Date,
  stop?: AbortSignal,
): Promise<AttemptResult> {
  const started = performance.now();
  const url = new URL(endpoint.url);
  const done = (r: Omit<AttemptResult, 'url' | 'durationMs'>): AttemptResult => ({ url: endpoint.url, durationMs: Math.round(performance.now() - started), ...r });
  const host = hostOf(url);
  if (!policy.allowPrivate && isIP(host) && isPrivateAddress(host)) {
    return Promise.resolve(done({ status: null, body: null, error: `${host} is a private address; local integrations are not allowed on this server` }));
  }
  const secrets = [endpoint.secret];
  if (endpoint.previous_secret && endpoint.previous_secret_expires_at && endpoint.previous_secret_expires_at > now.toISOString()) secrets.push(endpoint.previous_secret);
  const headers = { ...signedHeaders(secrets, msgId, Math.floor(now.getTime() / 1000), body), 'user-agent': 'Bob-Webhooks/1', 'content-length': String(Buffer.byteLength(body)) };
  const signal = stop ? AbortSignal.any([stop, AbortSignal.timeout(policy.timeoutMs)]) : AbortSignal.timeout(policy.timeoutMs);

  return new Promise((resolve) => {
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'POST',
      headers,
      agent: agents[url.protocol as 'http:' | 'https:'],
      lookup: policy.allowPrivate ? undefined : guardedLookup,
      signal,
    });
    const fail = (err: Error) => {
      const timedOut = signal.aborted && !stop?.aborted;
      resolve(done({ status: null, body: null, error: timedOut ? `no answer within ${policy.timeoutMs} ms` : err.message || String(err) }));
    };
    req.on('error', fail);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      let kept = 0;
      res.on('data', (c: Buffer) => {
        if (kept < RESPONSE_LOG_BYTES) chunks.push(c.subarray(0, RESPONSE_LOG_BYTES - kept));
        kept += c.length;
      });
      res.on('error', fail);
      res.on('close', () => fail(new Error('the connection closed before the response ended')));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const text = Buffer.concat(chunks).toString('utf8') + (kept > RESPONSE_LOG_BYTES ? '…' : '');
        // Redirects are never followed: a receiver could point Bob at an internal address.
        const error = status >= 300 && status < 400 ? `redirect to ${res.headers.location ?? '(no location)'} not followed` : null;
        resolve(done({ status, body: text, error }));
      });
    });
    req.end(body);
  });
}

/** A 2xx answer: the receiver has the event. */
export const isSuccess = (r: AttemptResult) => r.status !== null && r.status >= 200 && r.status < 300;

export class WebhookDispatcher {
  /** The endpoints this instance is attempting (each under its lease), to abort on stop. */
  private readonly inFlight = new Map<string, AbortController>();
  private readonly leases: LeaseStore;
  private timer: NodeJS.Timeout | undefined;
  private pumpQueued = false;
  /** A pump is reading the queues; one asked for meanwhile runs after it (never two at once). */
  private pumping = false;
  private pumpAgain = false;
  private stopped = false;
  private readonly pruneTimer: NodeJS.Timeout;
  private readonly pollTimer: NodeJS.Timeout | undefined;
  /** Resolvers waiting for the outbox to be empty (benchmarks, tests). */
  private idleWaiters: (() => void)[] = [];

  /**
   * @param repo reads the queues.
   * @param uow records each attempt (and turning an endpoint off) in one transaction, between the
   *   requests: no transaction is held while a request is out.
   * @param leases which endpoints this instance may attempt (default: it is alone on its database).
   * @param pollMs looks for due work this often besides being woken: what other instances queued
   *   while their notice was lost, and endpoints whose lease ran out (an instance killed mid-attempt).
   */
  constructor(
    private readonly deps: {
      repo: WebhooksRepo;
      uow: UnitOfWork<{ webhooks: WebhooksRepo }>;
      policy: DeliveryPolicy;
      clock: Clock;
      logger: Logger;
      leases?: LeaseStore;
      pollMs?: number;
    },
  ) {
    this.leases = deps.leases ?? memoryLeases(deps.repo);
    this.pruneTimer = setInterval(() => void this.prune(), 60 * 60 * 1000);
    this.pruneTimer.unref();
    if (deps.pollMs) {
      this.pollTimer = setInterval(() => this.wake(), deps.pollMs);
      this.pollTimer.unref();
    }
  }

  /** Looks for due work soon (after the current transaction has committed). */
  wake(): void {
    if (this.pumpQueued || this.stopped) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  /** Stops attempting; an attempt cut short is simply attempted again after the next start. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    clearInterval(this.pruneTimer);
    clearInterval(this.pollTimer);
    for (const c of this.inFlight.values()) c.abort();
  }

  /** Resolves when nothing is waiting or in flight (or only future retries are). */
  async idle(): Promise<void> {
    if (await this.isIdle()) return;
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async isIdle() {
    if (this.inFlight.size) return false;
    const now = this.deps.clock.now().toISOString();
    return (await this.deps.repo.heads()).every((d) => d.next_attempt_at > now);
  }

  private pump(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    void this.pumpOnce()
      .catch((err: unknown) => this.deps.logger.error('webhook queues could not be read', { err: String(err) }))
      .finally(() => {
        this.pumping = false;
        if (this.pumpAgain) {
          this.pumpAgain = false;
          this.pump();
        }
      });
  }

  private async pumpOnce(): Promise<void> {
    const now = this.deps.clock.now();
    const nowIso = now.toISOString();
    const free = CONCURRENCY - this.inFlight.size;
    for (const lease of free > 0 ? await this.leases.claim(free, now) : []) {
      if (this.stopped) void this.release(lease);
      else void this.attempt(lease);
    }
    if (this.stopped) return;
    // The next retry among the queues not being attempted here (a due head is another instance's,
    // or waits for a free slot: an attempt ending wakes the pump).
    let next: string | undefined;
    for (const head of await this.deps.repo.heads(this.inFlight)) {
      if (head.next_attempt_at > nowIso && (!next || head.next_attempt_at < next)) next = head.next_attempt_at;
    }
    clearTimeout(this.timer);
    if (next) {
      this.timer = setTimeout(() => this.pump(), Math.max(0, Date.parse(next) - now.getTime()));
      this.timer.unref();
    }
    if (this.idleWaiters.length && (await this.isIdle())) for (const w of this.idleWaiters.splice(0)) w();
  }

  private async attempt(lease: Lease): Promise<void> {
    const { repo, uow, policy, clock, logger } = this.deps;
    // The endpoint is leased, and marked in flight before anything is awaited; the lease is given
    // back only once the outcome is stored: until then no claim takes the endpoint.
    const controller = new AbortController();
    this.inFlight.set(lease.endpointId, controller);
    let deliveryId: number | undefined;
    try {
      const endpoint = await repo.endpoint(lease.endpointId);
      // The head now (a redelivery may have put an older delivery back in line since the claim).
      const d = await repo.head(lease.endpointId);
      if (!endpoint || !d || d.next_attempt_at > clock.now().toISOString()) return;
      deliveryId = d.id;
      // Which instance attempts what (several instances on one database: who held the lease).
      logger.debug('webhook attempt', { endpoint_id: endpoint.id, delivery_id: d.id, msg_id: d.msg_id, attempt: d.attempts + 1 });
      const at = clock.now();
      const result = await postSigned(endpoint, d.msg_id, d.payload, policy, at, controller.signal);
      if (this.stopped) return;

      const attempt = d.attempts + 1;
      const gone = result.status === 410;
      const ok = isSuccess(result);
      const exhausted = !ok && attempt > policy.retryScheduleMs.length;
      const delay = ok || gone || exhausted ? 0 : policy.retryScheduleMs[attempt - 1]! * (1 - JITTER + Math.random() * 2 * JITTER);
      const reason = gone
        ? 'The receiver answered 410 Gone: it no longer wants these events.'
        : exhausted
          ? `Delivery failed ${attempt} times in a row (last: ${result.status ? `HTTP ${result.status}` : result.error}).`
          : null;
      const disabled = await uow.run(async ({ webhooks }) => {
        await webhooks.settle(
          {
            delivery_id: d.id,
            at: at.toISOString(),
            duration_ms: result.durationMs,
            url: result.url,
            response_status: result.status,
            response_body: result.body,
            error: result.error,
            status: ok ? 'delivered' : reason ? 'failed' : 'pending',
            next_attempt_at: new Date(clock.now().getTime() + delay).toISOString(),
          },
          { store: this.leases, lease },
        );
        return reason !== null && (await webhooks.disable(endpoint.id, reason, clock.now().toISOString()));
      });
      const target = new URL(endpoint.url).origin; // paths and queries can carry tokens: not logged
      if (!ok) logger.warn('webhook attempt failed', { endpoint_id: endpoint.id, target, delivery_id: d.id, attempt, status: result.status, error: result.error });
      if (disabled) logger.warn('webhook endpoint disabled', { endpoint_id: endpoint.id, target, reason });
    } catch (err) {
      // Not recorded: the delivery stays at the head of its queue and is attempted again at the next
      // wake (a lost lease: by whoever holds the endpoint now, with the same webhook-id).
      if (err instanceof LeaseLost) logger.warn('webhook attempt not recorded: its lease ran out', { endpoint_id: lease.endpointId, delivery_id: deliveryId });
      else logger.error('webhook attempt could not be recorded', { endpoint_id: lease.endpointId, delivery_id: deliveryId, err: String(err) });
      return;
    } finally {
      this.inFlight.delete(lease.endpointId);
      await this.release(lease);
    }
    this.wake();
  }

  private async release(lease: Lease): Promise<void> {
    try {
      await this.leases.release(lease);
    } catch (err) {
      // It runs out by itself.
      this.deps.logger.warn('webhook lease could not be given back', { endpoint_id: lease.endpointId, err: String(err) });
    }
  }

  private async prune(): Promise<void> {
    const { uow, clock, logger } = this.deps;
    const before = new Date(clock.now().getTime() - KEEP_DAYS * 86_400_000).toISOString();
    try {
      const { pruned, dropped } = await uow.run(async ({ webhooks }) => ({
        pruned: await webhooks.prune(before),
        dropped: await webhooks.expire(clock.now().toISOString()),
      }));
      if (pruned) logger.info('webhook deliveries pruned', { count: pruned, older_than_days: KEEP_DAYS });
      if (dropped) logger.warn('undelivered webhook events dropped: older than the queue keeps', { count: dropped });
    } catch (err) {
      logger.error('webhook deliveries could not be pruned', { err: String(err) });
    }
  }
}
