import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { timeOrderedUuid } from './ids';

describe('timeOrderedUuid', () => {
  it('makes RFC 9562 version 7 UUIDs that sort by creation time and do not repeat', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => timeOrderedUuid(1_764_633_600_000 + Math.floor(i / 10)));
    for (const id of ids.slice(0, 20)) {
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(z.uuid().safeParse(id).success).toBe(true);
    }
    expect(new Set(ids).size).toBe(ids.length);
    // Across milliseconds the order is the time order (within one, the random bits decide).
    const firstOfEachMs = ids.filter((_, i) => i % 10 === 0);
    expect([...firstOfEachMs].sort()).toEqual(firstOfEachMs);
    expect(timeOrderedUuid(Date.UTC(2030, 0, 1)) > timeOrderedUuid(Date.UTC(2026, 0, 1))).toBe(true);
  });
});
