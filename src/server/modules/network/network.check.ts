// "Can the business's visitors reach this Bob?": fetch <public address>/api/health with a fresh
// nonce. Only this Bob (any instance on this database) knows the secret that answers it, so a
// router, a proxy's error page or another server on that address is told apart from Bob itself.
import crypto from 'node:crypto';
import type { NetworkCheckResult } from '../../../shared/schemas/network';

export const CHECK_TIMEOUT_MS = 5_000;

/** The health route's answer to a check nonce. */
export const checkAnswer = (secret: string, nonce: string) => crypto.createHmac('sha256', secret).update(`bob-reachability:${nonce}`).digest('hex');

const TLS_CODES = /^(CERT_|ERR_TLS_|ERR_SSL_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_(GET_ISSUER_CERT|VERIFY_LEAF_SIGNATURE)|HOSTNAME_MISMATCH)/;

function classify(err: unknown): { reason: NonNullable<NetworkCheckResult['reason']>; detail: string } {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return { reason: 'timeout', detail: `no answer within ${CHECK_TIMEOUT_MS / 1000} s` };
  const code = e.cause?.code ?? '';
  const detail = [code, e.cause?.message ?? e.message].filter(Boolean).join(': ');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return { reason: 'dns', detail };
  if (code === 'ECONNREFUSED') return { reason: 'refused', detail };
  if (code === 'ETIMEDOUT' || code === 'UND_ERR_CONNECT_TIMEOUT') return { reason: 'timeout', detail };
  if (TLS_CODES.test(code) || /certificate|ssl|tls/i.test(detail)) return { reason: 'tls', detail };
  return { reason: 'network', detail };
}

export async function checkReachable(url: string, secret: string): Promise<NetworkCheckResult> {
  const nonce = crypto.randomBytes(16).toString('hex');
  const started = performance.now();
  const done = (r: Omit<NetworkCheckResult, 'url' | 'latency_ms'>): NetworkCheckResult => ({ url, latency_ms: Math.round(performance.now() - started), ...r });
  try {
    const res = await fetch(`${url}/api/health?check=${nonce}`, { redirect: 'manual', signal: AbortSignal.timeout(CHECK_TIMEOUT_MS), headers: { accept: 'application/json' } });
    if (res.status !== 200) {
      const where = res.headers.get('location');
      await res.body?.cancel();
      return done({ result: 'other_server', reason: 'http_status', detail: `HTTP ${res.status}${where ? ` (redirect to ${where})` : ''}` });
    }
    const body = (await res.json().catch(() => null)) as { check?: unknown } | null;
    const expected = checkAnswer(secret, nonce);
    if (typeof body?.check === 'string' && body.check.length === expected.length && crypto.timingSafeEqual(Buffer.from(body.check), Buffer.from(expected))) {
      return done({ result: 'reachable', reason: null, detail: null });
    }
    return done({ result: 'other_server', reason: 'not_bob', detail: 'answered, but not with this Bob\'s signature' });
  } catch (err) {
    return done({ result: 'unreachable', ...classify(err) });
  }
}
