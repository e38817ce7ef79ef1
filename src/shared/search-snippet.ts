/**
 * A search hit's snippet marks the matched words with two private-use characters (never
 * HTML), so a client splits it into plain text parts and renders the hits itself.
 */
export const MATCH_START = '\uE000';
export const MATCH_END = '\uE001';

export interface SnippetPart {
  text: string;
  hit: boolean;
}

export function splitSnippet(snippet: string): SnippetPart[] {
  const parts: SnippetPart[] = [];
  let hit = false;
  let text = '';
  const flush = () => {
    if (text) parts.push({ text, hit });
    text = '';
  };
  for (const ch of snippet) {
    if (ch === MATCH_START || ch === MATCH_END) {
      flush();
      hit = ch === MATCH_START;
    } else text += ch;
  }
  flush();
  return parts;
}
