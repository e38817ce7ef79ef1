import type { ReactNode } from 'react';
import { splitSnippet } from '../../../shared/search-snippet';
import type { ChatSession } from '../api/types';
import { useI18n } from '../i18n';

type Messages = ReturnType<typeof useI18n>['t'];

/** The one name of a visitor: Live's list, History's list and the transcript header all use it. */
export const visitorLabel = (s: Pick<ChatSession, 'visitor_name' | 'session_id'>, t: Messages): string =>
  s.visitor_name ?? `${t.live.visitor} ${s.session_id.slice(0, 8)}`;

/** A search snippet with the matched words in <mark>: plain text nodes only, never markup from the message. */
export function Snippet({ snippet }: { snippet: string }) {
  return (
    <>
      {splitSnippet(snippet).map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
    </>
  );
}

/**
 * A list of conversations beside the open one. On narrow screens only one shows at a time:
 * the list, or the conversation (full height, with Back); the address keeps which.
 */
export function ConversationSplit({ open, list, children }: { open: boolean; list: ReactNode; children: ReactNode }) {
  return (
    <div className={`split conversations${open ? ' open' : ''}`}>
      {list}
      <div className="detail">{children}</div>
    </div>
  );
}
