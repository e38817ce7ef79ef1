// What an uploaded file is, from its bytes alone, and the same file without the metadata a photo
// carries (EXIF with GPS, XMP, text chunks). No native code: the formats are walked by hand, and a
// file that does not walk cleanly is refused rather than stored with what it may still carry.
import type { MessageAttachment } from '../../../shared/schemas/chat';

export type AttachmentType = MessageAttachment['type'];

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The type the bytes say (magic numbers), or null for anything else (an executable named .png). */
export function sniff(b: Buffer): AttachmentType | null {
  if (b.length >= 8 && b.subarray(0, 8).equals(PNG_SIGNATURE)) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 6 && (b.toString('latin1', 0, 6) === 'GIF87a' || b.toString('latin1', 0, 6) === 'GIF89a')) return 'image/gif';
  if (b.length >= 12 && b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'image/webp';
  if (b.length >= 5 && b.toString('latin1', 0, 5) === '%PDF-') return 'application/pdf';
  return null;
}

/** A file whose structure is not what its magic number promised. */
export class MalformedFile extends Error {}

/**
 * The file without its metadata: JPEG APPn segments other than JFIF (APP0) and ICC profiles
 * (APP2 "ICC_PROFILE"), and comments; PNG text chunks (tEXt, zTXt, iTXt), eXIf and tIME; WebP
 * EXIF and XMP chunks (and their flags in VP8X). GIF and PDF pass as they are.
 */
export function stripMetadata(b: Buffer, type: AttachmentType): Buffer {
  switch (type) {
    case 'image/jpeg':
      return stripJpeg(b);
    case 'image/png':
      return stripPng(b);
    case 'image/webp':
      return stripWebp(b);
    default:
      return b;
  }
}

function stripJpeg(b: Buffer): Buffer {
  const out: Buffer[] = [b.subarray(0, 2)];
  let i = 2;
  for (;;) {
    if (i >= b.length) throw new MalformedFile('JPEG ends before its image data');
    if (b[i] !== 0xff) throw new MalformedFile('JPEG marker expected');
    // Fill bytes (0xFF repeated) before a marker.
    while (b[i + 1] === 0xff) i++;
    const marker = b[i + 1];
    if (marker === undefined) throw new MalformedFile('JPEG ends in a marker');
    // Markers without a length: TEM and RSTn.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      out.push(b.subarray(i, i + 2));
      i += 2;
      continue;
    }
    if (marker === 0xd9) {
      out.push(b.subarray(i, i + 2));
      return Buffer.concat(out);
    }
    if (i + 4 > b.length) throw new MalformedFile('JPEG segment header cut');
    const length = b.readUInt16BE(i + 2);
    const end = i + 2 + length;
    if (length < 2 || end > b.length) throw new MalformedFile('JPEG segment longer than the file');
    // Start of scan: the compressed image and everything after it are kept as they are.
    if (marker === 0xda) {
      out.push(b.subarray(i));
      return Buffer.concat(out);
    }
    const payload = b.subarray(i + 4, end);
    const isApp = marker >= 0xe0 && marker <= 0xef;
    const keep = isApp
      ? (marker === 0xe0 && payload.toString('latin1', 0, 5) === 'JFIF\0') || (marker === 0xe2 && payload.toString('latin1', 0, 12) === 'ICC_PROFILE\0')
      : marker !== 0xfe; // COM: a comment, dropped
    if (keep) out.push(b.subarray(i, end));
    i = end;
  }
}

const PNG_DROPPED = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

function stripPng(b: Buffer): Buffer {
  const out: Buffer[] = [PNG_SIGNATURE];
  let i = 8;
  while (i < b.length) {
    if (i + 12 > b.length) throw new MalformedFile('PNG chunk cut');
    const length = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    const end = i + 12 + length;
    if (end > b.length) throw new MalformedFile('PNG chunk longer than the file');
    if (!PNG_DROPPED.has(type)) out.push(b.subarray(i, end));
    i = end;
    if (type === 'IEND') return Buffer.concat(out);
  }
  throw new MalformedFile('PNG without IEND');
}

function stripWebp(b: Buffer): Buffer {
  const declared = b.readUInt32LE(4) + 8;
  if (declared > b.length || declared < 12) throw new MalformedFile('WebP size wrong');
  const chunks: Buffer[] = [];
  let i = 12;
  while (i < declared) {
    if (i + 8 > declared) throw new MalformedFile('WebP chunk cut');
    const fourcc = b.toString('latin1', i, i + 4);
    const size = b.readUInt32LE(i + 4);
    const end = i + 8 + size + (size & 1);
    if (i + 8 + size > declared) throw new MalformedFile('WebP chunk longer than the file');
    if (fourcc !== 'EXIF' && fourcc !== 'XMP ') {
      const chunk = Buffer.from(b.subarray(i, Math.min(end, declared)));
      // VP8X flags: bit 3 EXIF, bit 2 XMP (both gone now).
      if (fourcc === 'VP8X' && chunk.length > 8) chunk[8] = chunk[8]! & ~0x0c;
      chunks.push(chunk);
    }
    i = end;
  }
  const body = Buffer.concat(chunks);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length + 4, 4);
  header.write('WEBP', 8, 'latin1');
  return Buffer.concat([header, body]);
}

/** A file name as shown: no folders, no control characters, at most 200 characters. */
export function cleanName(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  const clean = Array.from(base.replace(/[\u0000-\u001f\u007f]/g, '').trim()).slice(0, 200).join('');
  return clean || 'file';
}
