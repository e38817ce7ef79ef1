import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { newSecret, signature, signedHeaders } from './signing';

describe('Standard Webhooks signing', () => {
  it('matches the spec\'s published example', () => {
    // From the Standard Webhooks specification's example.
    const sig = signature('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(sig).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('is verified by the reference implementation, including both signatures during a rotation', () => {
    const [oldSecret, newOne] = [newSecret(), newSecret()];
    const body = JSON.stringify({ type: 'session.created', timestamp: new Date().toISOString(), data: { a: 1 } });
    const headers = signedHeaders([newOne, oldSecret], 'msg_1', Math.floor(Date.now() / 1000), body);
    expect(() => new Webhook(newOne).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(oldSecret).verify(body, headers)).not.toThrow();
    expect(() => new Webhook(newSecret()).verify(body, headers)).toThrow();
    expect(() => new Webhook(newOne).verify(body.replace('1', '2'), headers)).toThrow();
  });
});
