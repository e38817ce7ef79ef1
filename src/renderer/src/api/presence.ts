// Presence in a conversation (issue #23), Mission Control's side: who is typing (ephemeral, from
// the staff stream's `typing` frames, forgotten ~6 s after the last one), this staff member's own
// typing told to the visitor, and seen receipts.
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { api } from './client';

/** A "typing" lapses this long after its last refresh (the sender refreshes every ~3 s). */
const TYPING_TTL_MS = 6000;
const REFRESH_MS = 3000;

const typing = new Map<string, ReturnType<typeof setTimeout>>();
const listeners = new Set<() => void>();
const changed = () => listeners.forEach((fn) => fn());

/** The staff stream said the visitor of `sessionId` (internal id) is typing, or stopped (or sent). */
export function visitorTyping(sessionId: string, on: boolean) {
  clearTimeout(typing.get(sessionId));
  if (on) typing.set(sessionId, setTimeout(() => visitorTyping(sessionId, false), TYPING_TTL_MS));
  else if (!typing.delete(sessionId)) return;
  changed();
}

/** Whether the visitor of this conversation is typing now. */
export function useVisitorTyping(sessionId: string): boolean {
  return useSyncExternalStore(
    (fn) => {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    () => typing.has(sessionId),
  );
}

/**
 * This staff member's typing in a conversation's composer, told to the visitor: `typing: true` at
 * most every 3 s while the text changes, `false` once it is emptied (sent or cleared).
 */
export function useTypingSignal(sessionId: string) {
  const last = useRef(0);
  return (text: string) => {
    const now = Date.now();
    if (text ? now - last.current < REFRESH_MS : !last.current) return;
    last.current = text ? now : 0;
    void api(`/api/chat/sessions/${encodeURIComponent(sessionId)}/typing`, { method: 'POST', body: { typing: !!text } }).catch(() => undefined);
  };
}

/**
 * Staff viewed the conversation: a seen receipt whenever a message count is shown while the page
 * is visible (the server writes nothing when nothing is new since the last one).
 */
export function useSeenReceipt(sessionId: string | undefined, count: number, enabled: boolean) {
  useEffect(() => {
    if (!sessionId || !enabled) return;
    const mark = () => {
      if (document.visibilityState === 'visible') void api(`/api/chat/sessions/${encodeURIComponent(sessionId)}/seen`, { method: 'POST' }).catch(() => undefined);
    };
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => document.removeEventListener('visibilitychange', mark);
  }, [sessionId, count, enabled]);
}
