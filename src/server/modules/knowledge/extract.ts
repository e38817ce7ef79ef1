// What an uploaded or fetched document is, read from its bytes (never its name), and its readable
// text: Markdown and plain text as they are, HTML reduced to what a reader sees, PDF text through
// pdfjs-dist (every page).
import { lazy } from '../../lazy';
import type { FormatCallback } from 'html-to-text';
import { HttpError } from '../../errors';
import type { KnowledgeType } from '../../../shared/schemas/knowledge';
import { normalizeText } from './passages';

export interface Extracted {
  type: KnowledgeType;
  /** The readable text (normalised; may be empty: the caller answers no_text). */
  text: string;
  /** The document's own title: an HTML <title> (or first <h1>), a PDF's Title metadata. */
  title: string | null;
}

export const unsupportedType = () => new HttpError(415, 'unsupported_media_type', 'Upload Markdown, plain text, HTML or PDF');
export const noText = () => new HttpError(400, 'no_text', 'This document has no text Bob can read (a scanned PDF needs OCR first)');

// html-to-text and its HTML parser load with the first HTML document, not when the server starts.
const htmlToTextLib = lazy<typeof import('html-to-text')>('html-to-text');
const convert: typeof import('html-to-text').convert = (...args) => htmlToTextLib().convert(...args);

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The bytes as UTF-8 text, or null for anything that is not text (invalid UTF-8, NUL bytes, control characters). */
export function decodeText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return null;
  }
  if (text.includes('\0')) return null;
  // Text files carry tabs and line ends; other control characters mean a binary format.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const controls = text.match(/[\x01-\x08\x0e-\x1a\x1c-\x1f\x7f]/g)?.length ?? 0;
  if (controls > Math.max(2, text.length / 1000)) return null;
  return text.replace(/^\uFEFF/, '');
}

const HTML_START = /^(?:\s|<!--[\s\S]*?-->)*<(?:!doctype\s+html|html|head|body|meta|title|article|main|section|div|p|h[1-6]|ul|ol|table)\b/i;
const HTML_DOCUMENT = /<!doctype\s+html|<html[\s>]|<body[\s>]/i;

export const isHtml = (text: string) => HTML_START.test(text) || HTML_DOCUMENT.test(text.slice(0, 4096));

const MARKDOWN_MARKERS = [
  /^#{1,6}\s+\S/m, // headings
  /^\s{0,3}(?:[-*+]|\d{1,3}[.)])\s+\S/m, // lists
  /\[[^\]\n]+\]\([^)\s]+\)/, // links
  /(\*\*|__)(?=\S)[^\n]+?\S\1/, // strong emphasis
  /(^|[\s(])[*_](?=\S)[^*_\n]+?\S[*_](?=[\s.,;:!?)]|$)/m, // emphasis
  /^\s{0,3}(?:```|~~~)/m, // fenced code
  /^\s{0,3}>\s/m, // quotes
];
export const isMarkdown = (text: string) => MARKDOWN_MARKERS.some((m) => m.test(text));

/** The type of a document from its first bytes and its text; null when Bob cannot read it. */
export function sniffType(bytes: Uint8Array): { type: KnowledgeType; text: string | null } | null {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString('latin1');
  if (/^(?:\uFEFF|\s)*%PDF-/.test(head.replace(/^\xef\xbb\xbf/, ''))) return { type: 'pdf', text: null };
  const text = decodeText(bytes);
  if (text === null) return null;
  if (isHtml(text)) return { type: 'html', text };
  return { type: isMarkdown(text) ? 'markdown' : 'text', text };
}

// HTML headings as Markdown headings, so the passages split at them and keep them at their start.
const heading: FormatCallback = (elem, walk, builder) => {
  const level = Number(/^h([1-6])$/i.exec(elem.name ?? '')?.[1] ?? 2);
  builder.openBlock({ leadingLineBreaks: 2 });
  builder.addLiteral(`${'#'.repeat(level)} `);
  walk(elem.children, builder);
  builder.closeBlock({ trailingLineBreaks: 2 });
};

const SKIPPED = ['script', 'style', 'noscript', 'template', 'nav', 'footer', 'header', 'aside', 'img', 'picture', 'svg', 'video', 'audio', 'iframe', 'object', 'form', 'button', 'select'];

/** The text a reader sees: no scripts, styles, navigation, header, footer, images or link URLs. */
export function htmlToText(html: string): { text: string; title: string | null } {
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(html)?.[1];
  const text = convert(html, {
    wordwrap: false,
    formatters: { heading },
    limits: { maxInputLength: 10_000_000 },
    selectors: [
      ...SKIPPED.map((selector) => ({ selector, format: 'skip' })),
      { selector: 'a', options: { ignoreHref: true } },
      ...[1, 2, 3, 4, 5, 6].map((n) => ({ selector: `h${n}`, format: 'heading' })),
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ],
  });
  const decoded = title ? convert(title, { wordwrap: false }).replace(/\s+/g, ' ').trim() : '';
  return { text: normalizeText(text), title: decoded || null };
}

// pdfjs-dist in Node: no worker thread, the worker's code runs in this process (set once, before
// the first document; `globalThis.pdfjsWorker` is what pdfjs looks for, bundled or not).
type Pdfjs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<Pdfjs> | undefined;
function loadPdfjs(): Promise<Pdfjs> {
  pdfjs ??= (async () => {
    const g = globalThis as { pdfjsWorker?: unknown };
    // @ts-expect-error the worker entry ships without type declarations
    g.pdfjsWorker ??= await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
    return import('pdfjs-dist/legacy/build/pdf.mjs');
  })();
  return pdfjs;
}

interface TextItem {
  str: string;
  hasEOL: boolean;
  transform: number[];
  height: number;
}

/** One page's text items as lines; a gap clearly taller than a line is a paragraph break. */
export function pageText(items: TextItem[]): string {
  let out = '';
  let lastY: number | null = null;
  let lastHeight = 0;
  let lineEnded = false;
  for (const item of items) {
    const y = item.transform[5] ?? 0;
    const height = Math.abs(item.height || item.transform[3] || 0);
    if (lastY !== null && Math.abs(y - lastY) > Math.max(1, Math.min(height, lastHeight) / 2)) {
      const gap = Math.abs(lastY - y);
      out = out.trimEnd() + (gap > 1.8 * Math.max(height, lastHeight, 1) ? '\n\n' : '\n');
    } else if (lineEnded) {
      out = out.trimEnd() + '\n';
    } else if (out && !/\s$/.test(out) && item.str && !/^\s/.test(item.str)) {
      // Items on one line: pdfjs often splits words into runs; a space only when it is missing between words.
      const prev = out.at(-1)!;
      if (/[\p{L}\p{N}.,;:!?)]/u.test(prev) && /[\p{L}\p{N}(]/u.test(item.str[0]!) && item.str.length > 1) out += ' ';
    }
    if (item.str) out += item.str;
    lineEnded = item.hasEOL;
    if (item.str || item.hasEOL) {
      lastY = y;
      lastHeight = height || lastHeight;
    }
  }
  return out;
}

/** Every page's text and the Title metadata; a damaged or encrypted file → 400 unreadable_pdf. */
export async function pdfToText(bytes: Uint8Array): Promise<{ text: string; title: string | null }> {
  const { getDocument } = await loadPdfjs();
  const task = getDocument({
    data: new Uint8Array(bytes), // pdfjs takes ownership of (detaches) the buffer it is given
    isEvalSupported: false,
    useWorkerFetch: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: false,
    verbosity: 0,
  });
  try {
    const doc = await task.promise;
    const pages: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const content = await page.getTextContent();
      pages.push(pageText(content.items.flatMap((i) => ('str' in i ? [i] : []))));
      page.cleanup();
    }
    const info = (await doc.getMetadata().catch(() => null))?.info as { Title?: unknown } | undefined;
    const title = typeof info?.Title === 'string' && info.Title.trim() ? info.Title.trim().slice(0, 200) : null;
    return { text: normalizeText(pages.join('\n\n')), title };
  } catch (err) {
    const name = (err as Error).name;
    const why = name === 'PasswordException' ? 'it is password-protected' : 'it is damaged or not really a PDF';
    throw new HttpError(400, 'unreadable_pdf', `This PDF could not be read: ${why}`);
  } finally {
    await task.destroy();
  }
}

/** The first Markdown heading, as a fallback title. */
const firstHeading = (text: string) => /^#{1,6}\s+(.+)$/m.exec(text)?.[1]?.trim().slice(0, 200) ?? null;

/**
 * Reads a document: its type from the bytes, then its readable text. Unknown bytes → 415; the
 * caller decides what no text means (400 no_text).
 */
export async function extractDocument(bytes: Uint8Array, allowed: readonly KnowledgeType[] = ['markdown', 'text', 'html', 'pdf']): Promise<Extracted> {
  const sniffed = sniffType(bytes);
  if (!sniffed || !allowed.includes(sniffed.type)) throw unsupportedType();
  if (sniffed.type === 'pdf') return { type: 'pdf', ...(await pdfToText(bytes)) };
  if (sniffed.type === 'html') {
    const r = htmlToText(sniffed.text!);
    return { type: 'html', text: r.text, title: r.title ?? firstHeading(r.text) };
  }
  const text = normalizeText(sniffed.text!);
  return { type: sniffed.type, text, title: firstHeading(text) };
}
