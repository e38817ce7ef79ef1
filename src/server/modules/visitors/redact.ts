// What an erased conversation's stored events and webhook bodies become (issue #22): the same
// shape (so every reader of an event type keeps working, a resumed stream and a redelivery
// included), marked `redacted: true`, with every word the visitor or staff wrote and every personal
// field emptied. Ids, statuses and times stay.

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function redactSession(s: unknown): unknown {
  if (!isObject(s)) return s;
  return { ...s, visitor_name: null, origin: null, last_message: '' };
}

function redactMessage(m: unknown): unknown {
  if (!isObject(m)) return m;
  return { ...m, body: '', basis: null, author_name: m.author === 'visitor' ? null : (m.author_name ?? null) };
}

/** An event's payload (`data`) with the conversation's content taken out. */
export function redactEventData(type: string, data: unknown): Json {
  const d = isObject(data) ? data : {};
  switch (type) {
    case 'session.created':
    case 'session.updated':
    case 'session.closed':
      return { session: redactSession(d.session), redacted: true };
    case 'handoff.requested':
      return { session: redactSession(d.session), reason: d.reason, message: '', redacted: true };
    case 'message.created':
      return { session_id: d.session_id, external_id: d.external_id, message: redactMessage(d.message), redacted: true };
    default:
      // Nothing else is stored under a conversation today; keep nothing of an unknown shape.
      return { redacted: true };
  }
}

/** A webhook delivery's body (`{type, timestamp, data}`) with its data redacted as its event's. */
export function redactDeliveryBody(payload: string): string {
  let parsed: Json = {};
  try {
    const p: unknown = JSON.parse(payload);
    if (isObject(p)) parsed = p;
  } catch {
    /* not JSON: replaced whole */
  }
  const type = typeof parsed.type === 'string' ? parsed.type : '';
  return JSON.stringify({ type, timestamp: parsed.timestamp, data: redactEventData(type, parsed.data) });
}
