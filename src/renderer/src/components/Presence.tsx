// Presence in a conversation (issue #23) in Live: formatted messages (the widget's rules, from
// src/shared/message-format.ts, as React elements: never HTML), the visitor typing, seen receipts.
import { Fragment, type ReactNode } from 'react';
import { formatMessage, type FormatNode } from '../../../shared/message-format';
import { useVisitorTyping } from '../api/presence';
import { useI18n } from '../i18n';

function toReact(nodes: FormatNode[]): ReactNode[] {
  return nodes.map((n, i) => {
    if (typeof n === 'string') return <Fragment key={i}>{n}</Fragment>;
    const children = toReact(n.children);
    switch (n.tag) {
      case 'br':
        return <br key={i} />;
      case 'p':
        return <span key={i} className="para">{children}</span>;
      case 'a':
        return <a key={i} href={n.href} target="_blank" rel="noopener noreferrer">{children}</a>;
      default: {
        const Tag = n.tag;
        return <Tag key={i}>{children}</Tag>;
      }
    }
  });
}

/** A message's body: Bob's and agents' formatted (links, bold, lists, line breaks), others as written. */
export function MessageBody({ author, text }: { author: string; text: string }) {
  if (author !== 'bot' && author !== 'agent') return <span className="body">{text}</span>;
  return <span className="body formatted">{toReact(formatMessage(text))}</span>;
}

/** "Visitor is typing…" while the staff stream says so. */
export function VisitorTyping({ sessionId }: { sessionId: string }) {
  const { t } = useI18n();
  const on = useVisitorTyping(sessionId);
  return <p className="typing-note muted small" role="status">{on ? t.presence.visitorTyping : ''}</p>;
}

/** "Seen by the visitor" once their receipt is newer than the message. */
export function SeenByVisitor({ seenAt, messageAt }: { seenAt: string | null | undefined; messageAt: string }) {
  const { t } = useI18n();
  if (!seenAt || seenAt < messageAt) return null;
  return <span className="seen-note">{t.presence.seenByVisitor}</span>;
}
