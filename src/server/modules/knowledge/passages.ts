// Splits a document's readable text into the passages Bob retrieves: roughly 400–900 characters,
// cut at paragraph and heading boundaries. A heading starts a new passage and stays at its start
// (so a passage about delivery begins "## Delivery"); a paragraph longer than a passage is cut at
// sentence ends; a small remainder at the end of a section joins the passage before it.
// Deterministic: the same text always gives the same passages.

/** A passage grows up to this many characters before the next paragraph starts a new one. */
export const PASSAGE_MAX = 900;
/** A section's last passage shorter than this joins the one before it (when that stays reasonable). */
export const PASSAGE_TAIL_MIN = 250;
/** …as long as the merged passage stays under this. */
const MERGED_MAX = PASSAGE_MAX + PASSAGE_TAIL_MIN;

const HEADING = /^#{1,6}\s+\S/;

interface Unit {
  text: string;
  heading: boolean;
}

/** The readable text, tidied: LF line ends, no trailing spaces, at most one blank line in a row. */
export function normalizeText(text: string): string {
  return text
    .replace(/^\uFEFF/, '')
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\f\v\u00a0]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Sentences of a paragraph: cut after . ! ? … (and closing quotes or brackets) followed by a space. */
function sentences(paragraph: string): string[] {
  return paragraph.split(/(?<=[.!?…]["'”’»)\]]*)\s+(?=\S)/u).filter((s) => s.length > 0);
}

/** Cuts a text longer than `max` at the last whitespace before it (or hard, for one long word). */
function hardCut(text: string, max: number): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const space = rest.lastIndexOf(' ', max);
    const at = space > max / 2 ? space : max;
    out.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest) out.push(rest);
  return out;
}

/** A paragraph longer than a passage, as pieces of whole sentences up to `max` characters. */
function splitParagraph(paragraph: string, max: number): string[] {
  const pieces: string[] = [];
  let current = '';
  for (const sentence of sentences(paragraph).flatMap((s) => (s.length > max ? hardCut(s, max) : [s]))) {
    if (current && current.length + 1 + sentence.length > max) {
      pieces.push(current);
      current = sentence;
    } else current = current ? `${current} ${sentence}` : sentence;
  }
  if (current) pieces.push(current);
  return pieces;
}

/** Sections: each starts with its heading (the first may have none), then its paragraphs. */
function sections(text: string): Unit[][] {
  const out: Unit[][] = [[]];
  for (const block of text.split(/\n\s*\n/)) {
    // A heading inside a block (no blank line around it) still starts a section.
    let paragraph: string[] = [];
    const flush = () => {
      const p = paragraph.join('\n').trim();
      if (p) for (const piece of p.length > PASSAGE_MAX ? splitParagraph(p, PASSAGE_MAX) : [p]) out.at(-1)!.push({ text: piece, heading: false });
      paragraph = [];
    };
    for (const line of block.split('\n')) {
      if (HEADING.test(line)) {
        flush();
        const current = out.at(-1)!;
        // Headings in a row ("# Menu" then "## Pizzas") stay together at the start of one section.
        if (current.some((u) => !u.heading)) out.push([]);
        out.at(-1)!.push({ text: line.trim(), heading: true });
      } else paragraph.push(line);
    }
    flush();
  }
  return out.filter((s) => s.length > 0);
}

const join = (units: Unit[]) => units.map((u, i) => (i > 0 && units[i - 1]!.heading ? `\n${u.text}` : i > 0 ? `\n\n${u.text}` : u.text)).join('');

/** The passages of a document's text, in order. Empty text → no passages. */
export function splitPassages(text: string): string[] {
  const passages: string[] = [];
  for (const section of sections(normalizeText(text))) {
    const packed: Unit[][] = [];
    let current: Unit[] = [];
    let size = 0;
    for (const unit of section) {
      const onlyHeadings = current.every((u) => u.heading);
      if (current.length && !onlyHeadings && size + 2 + unit.text.length > PASSAGE_MAX) {
        packed.push(current);
        current = [];
        size = 0;
      }
      current.push(unit);
      size += (size ? 2 : 0) + unit.text.length;
    }
    if (current.length) packed.push(current);
    // A small remainder joins the passage before it (within the same section).
    const last = packed.at(-1);
    const before = packed.at(-2);
    if (last && before) {
      const lastSize = join(last).length;
      if (lastSize < PASSAGE_TAIL_MIN && join(before).length + 2 + lastSize <= MERGED_MAX) packed.splice(-2, 2, [...before, ...last]);
    }
    passages.push(...packed.map(join));
  }
  return passages;
}
