// Safe formatting of Bob's and agents' messages (issue #23): links (http, https, mailto only),
// **bold**, bullet and numbered lists, line breaks. The text is parsed into a small node tree that
// the widget turns into DOM nodes (textContent only) and Mission Control into React elements: the
// same rules on both sides, and never HTML — anything else (tags, `javascript:` links) stays text.
// Kept small: it ships in the widget's core.

/** A piece of text, or an element with its children; `href` only on `a`, always http(s) or mailto. */
export type FormatNode = string | { tag: 'p' | 'ul' | 'ol' | 'li' | 'strong' | 'a' | 'br'; href?: string; children: FormatNode[] };

const SAFE_URL = /^(https?:\/\/[^\s<>"]+|mailto:[^\s<>"@]+@[^\s<>"]+)$/i;
// [label](url) | **bold** | a bare link
const INLINE = /\[([^\]\n]{1,500})\]\(([^)\s]{1,2000})\)|\*\*(?=\S)([^\n]*?\S)\*\*|\b(?:https?:\/\/|mailto:)[^\s<>"]+/gi;
const ITEM = /^\s*(?:([-*•])|\d{1,3}[.)])\s+(.*)$/;

/** Links and bold within one line. `inside`: 1 within bold, 2 within a link (neither nests). */
function inline(text: string, inside = 0): FormatNode[] {
  const out: FormatNode[] = [];
  let at = 0;
  for (const m of text.matchAll(INLINE)) {
    const [, label, url, strong] = m;
    let whole = m[0];
    const i = m.index;
    let node: FormatNode | null = null;
    if (inside & 2 && strong === undefined) continue;
    if (label !== undefined) {
      if (SAFE_URL.test(url!)) node = { tag: 'a', href: url, children: inline(label, inside | 2) };
    } else if (strong !== undefined) {
      if (!(inside & 1)) node = { tag: 'strong', children: inline(strong, inside | 1) };
    } else {
      // A bare link ends before trailing punctuation ("see https://x.test.").
      whole = whole.replace(/[.,;:!?)'\]]+$/, '');
      if (SAFE_URL.test(whole)) node = { tag: 'a', href: whole, children: [whole] };
    }
    if (!node) continue;
    if (i > at) out.push(text.slice(at, i));
    out.push(node);
    at = i + whole.length;
  }
  if (at < text.length) out.push(text.slice(at));
  return out;
}

/** The message as blocks: paragraphs (lines joined by `br`) and lists; a blank line ends a block. */
export function formatMessage(text: string): FormatNode[] {
  const blocks: FormatNode[] = [];
  let open: { tag: 'p' | 'ul' | 'ol'; children: FormatNode[] } | undefined;
  for (const line of text.split(/\r?\n/)) {
    const item = ITEM.exec(line);
    const tag = item ? (item[1] ? 'ul' : 'ol') : line.trim() ? 'p' : undefined;
    if (!tag) {
      open = undefined;
      continue;
    }
    if (open?.tag !== tag) blocks.push((open = { tag, children: [] }));
    else if (tag == 'p') open.children.push({ tag: 'br', children: [] });
    open.children.push(...(item ? [{ tag: 'li' as const, children: inline(item[2]!) }] : inline(line)));
  }
  return blocks;
}

/** The plain text of a tree (what a screen reader or a search would take). */
export const plainText = (nodes: FormatNode[]): string => nodes.map((n) => (typeof n === 'string' ? n : n.tag === 'br' ? '\n' : plainText(n.children))).join('');
