import { randomBytes } from 'node:crypto';

// Random bytes are drawn in blocks: one call per 256 ids instead of one per id.
let pool = Buffer.alloc(0);
let offset = 0;
function random10(): Buffer {
  if (offset + 10 > pool.length) {
    pool = randomBytes(2560);
    offset = 0;
  }
  const out = pool.subarray(offset, offset + 10);
  offset += 10;
  return out;
}

/**
 * A UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then 74 random bits. Ids made later
 * sort later, so rows keyed by them are appended to the end of their index instead of landing on
 * a random page (far fewer pages written per commit); they stay as unguessable as version 4's
 * for what they name (74 random bits per millisecond).
 */
export function timeOrderedUuid(now = Date.now()): string {
  const b = Buffer.allocUnsafe(16);
  b.writeUIntBE(now, 0, 6);
  random10().copy(b, 6);
  b[6] = 0x70 | (b[6]! & 0x0f); // version 7
  b[8] = 0x80 | (b[8]! & 0x3f); // RFC variant
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
