import { describe, expect, it } from 'vitest';
import { createMemoryPresence } from './presence';

describe('in-memory presence', () => {
  it('is online while a stream of the tenant is open, and while the platform\'s staff watch', async () => {
    const presence = createMemoryPresence();
    expect(await presence.isOnline('shop')).toBe(false);
    presence.opened('shop', false);
    presence.opened('shop', false);
    presence.closed('shop');
    expect(await presence.isOnline('shop')).toBe(true); // one of its two streams is still open
    presence.closed('shop');
    expect(await presence.isOnline('shop')).toBe(false);
    presence.closed('shop'); // a close too many never makes a later open count for nothing
    presence.opened('other', false);
    expect(await presence.isOnline('shop')).toBe(false);
    presence.opened('platform', true);
    expect([await presence.isOnline('shop'), await presence.isOnline('platform')]).toEqual([true, true]);
    presence.closed('platform');
    expect(await presence.isOnline('shop')).toBe(false);
    presence.opened('shop', false);
    expect(await presence.isOnline('shop')).toBe(true);
  });
});
