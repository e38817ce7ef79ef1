import { describe, expect, it } from 'vitest';
import { makePdf } from '../../../../test/helpers/pdf';
import { extractDocument, htmlToText, pageText, sniffType } from './extract';

const bytes = (s: string) => Buffer.from(s, 'utf8');

describe('sniffType', () => {
  it('reads the type from the content', () => {
    expect(sniffType(makePdf(['Hello']))?.type).toBe('pdf');
    expect(sniffType(bytes('<!DOCTYPE html><html><body><p>Hi</p></body></html>'))?.type).toBe('html');
    expect(sniffType(bytes('  <p>Just a paragraph</p>'))?.type).toBe('html');
    expect(sniffType(bytes('# Menu\n\n- Pizza\n- Pasta'))?.type).toBe('markdown');
    expect(sniffType(bytes('See [our terms](https://example.com/terms).'))?.type).toBe('markdown');
    expect(sniffType(bytes('We open at nine. Prices: 3 < 5.'))?.type).toBe('text');
    expect(sniffType(bytes('\uFEFFCaffè e cornetto, tutti i giorni.'))?.type).toBe('text');
  });

  it('refuses binary content', () => {
    expect(sniffType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toBeNull(); // PNG
    expect(sniffType(Buffer.from('text with a NUL\0 byte'))).toBeNull();
    expect(sniffType(Buffer.from([0xff, 0xfe, 0x41, 0x00]))).toBeNull(); // invalid UTF-8
  });
});

describe('htmlToText', () => {
  it('keeps what a reader sees, headings as Markdown headings', () => {
    const r = htmlToText(`<!doctype html><html><head><title>Delivery &amp; terms</title><style>p{color:red}</style></head><body>
      <header>Site header</header><nav><a href="/">Home</a></nav>
      <h1>Delivery</h1><p>We deliver <a href="https://x.example/zones">within 5 km</a>.</p><img src="a.png" alt="map">
      <script>alert("x")</script><h2>Returns</h2><p>Within 14 days.</p><footer>© Shop</footer></body></html>`);
    expect(r.title).toBe('Delivery & terms');
    expect(r.text).toBe('# Delivery\n\nWe deliver within 5 km.\n\n## Returns\n\nWithin 14 days.');
  });
});

describe('pageText', () => {
  const item = (str: string, y: number, hasEOL = false) => ({ str, hasEOL, transform: [12, 0, 0, 12, 72, y], height: 12 });
  it('joins items into lines and paragraphs', () => {
    expect(pageText([item('Delivery', 770, true), item('We deliver', 738), item(' daily.', 738, true), item('Second line.', 722)])).toBe(
      'Delivery\n\nWe deliver daily.\nSecond line.',
    );
  });
});

describe('extractDocument', () => {
  it('reads every page of a PDF, and its title', async () => {
    const doc = await extractDocument(makePdf(['Delivery terms', '', 'We deliver (within 5 km) every weekday.'], { title: 'Terms PDF' }));
    expect(doc).toEqual({ type: 'pdf', text: 'Delivery terms\n\nWe deliver (within 5 km) every weekday.', title: 'Terms PDF' });
  });

  it('refuses a damaged PDF and binary files', async () => {
    await expect(extractDocument(Buffer.from('%PDF-1.4\nnot really'))).rejects.toMatchObject({ status: 400, code: 'unreadable_pdf' });
    await expect(extractDocument(Buffer.from([0, 1, 2, 3]))).rejects.toMatchObject({ status: 415, code: 'unsupported_media_type' });
  });

  it('gives empty text for a PDF without text', async () => {
    expect((await extractDocument(makePdf([]))).text).toBe('');
  });
});
