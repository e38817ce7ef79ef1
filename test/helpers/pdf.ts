// A tiny PDF writer for tests: one A4 page, Helvetica, one line of text per entry, a correct
// cross-reference table. No library, so the bytes are exactly what the test means to upload.

/** A PDF string literal: backslashes and parentheses escaped; Latin-1 text only. */
const literal = (s: string) => `(${s.replace(/[\\()]/g, (c) => `\\${c}`)})`;

/**
 * A valid one-page PDF showing `lines` top to bottom (an empty string leaves a blank line, which
 * reads as a paragraph break). `title` goes into the document information dictionary.
 */
export function makePdf(lines: string[], opts: { title?: string } = {}): Buffer {
  const text = lines.map((l, i) => `${i === 0 ? '' : 'T* '}${literal(l)} Tj`).join('\n');
  const content = `BT\n/F1 12 Tf\n16 TL\n72 770 Td\n${text}\nET\n`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}endstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  if (opts.title !== undefined) objects.push(`<< /Title ${literal(opts.title)} /Producer (Bob tests) >>`);

  let out = '%PDF-1.4\n%\xe2\xe3\xcf\xd3\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const o of offsets) out += `${String(o).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R${opts.title !== undefined ? ` /Info ${objects.length} 0 R` : ''} >>\n`;
  out += `startxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
