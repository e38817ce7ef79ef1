// Standard Webhooks signing (https://www.standardwebhooks.com): the secret is "whsec_" + base64
// key bytes; the signature is base64(HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")).
import { createHmac, randomBytes } from 'node:crypto';

const PREFIX = 'whsec_';

export const newSecret = () => PREFIX + randomBytes(24).toString('base64');

/** The last characters of a secret: enough to tell two apart, useless to an attacker. */
export const secretHint = (secret: string) => `${PREFIX}…${secret.slice(-4)}`;

export function signature(secret: string, msgId: string, timestampSeconds: number, body: string): string {
  const key = Buffer.from(secret.slice(PREFIX.length), 'base64');
  return 'v1,' + createHmac('sha256', key).update(`${msgId}.${timestampSeconds}.${body}`).digest('base64');
}

/** The headers of one attempt. During a rotation both secrets sign (space-separated, as the spec allows). */
export function signedHeaders(secrets: string[], msgId: string, timestampSeconds: number, body: string): Record<string, string> {
  return {
    'content-type': 'application/json',
    'webhook-id': msgId,
    'webhook-timestamp': String(timestampSeconds),
    'webhook-signature': secrets.map((s) => signature(s, msgId, timestampSeconds, body)).join(' '),
  };
}
