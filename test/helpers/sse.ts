export interface SseEvent {
  id?: string;
  event: string;
  data: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** Milliseconds from the request to this event's arrival. */
  at: number;
}

/** Reads a Server-Sent Events response over real HTTP and lets a test wait for an event. */
export class SseClient {
  readonly events: SseEvent[] = [];
  private waiters: { match: (e: SseEvent) => boolean; resolve: (e: SseEvent) => void }[] = [];
  private readonly controller = new AbortController();
  status = 0;
  headers?: Headers;

  /** The body of an answer that is not an event stream (e.g. a JSON error). */
  json?: unknown;
  /** Resolves when the stream ends (the server closed it, or close()). */
  ended: Promise<void> = Promise.resolve();
  private readonly started = performance.now();

  static async open(url: string, headers: Record<string, string> = {}, init: { method?: string; body?: string } = {}): Promise<SseClient> {
    const c = new SseClient();
    const res = await fetch(url, { ...init, headers: { Accept: 'text/event-stream', ...headers }, signal: c.controller.signal });
    c.status = res.status;
    c.headers = res.headers;
    if (res.ok && res.body && res.headers.get('content-type')?.startsWith('text/event-stream')) c.ended = c.pump(res.body);
    else c.json = await res.json().catch(() => undefined);
    return c;
  }

  private async pump(body: ReadableStream<Uint8Array>) {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const e: SseEvent = { event: 'message', data: undefined, at: performance.now() - this.started };
          let data = '';
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) e.id = line.slice(4);
            else if (line.startsWith('event: ')) e.event = line.slice(7);
            else if (line.startsWith('data: ')) data += line.slice(6);
          }
          if (!data) continue;
          e.data = JSON.parse(data);
          this.events.push(e);
          this.waiters = this.waiters.filter((w) => (w.match(e) ? (w.resolve(e), false) : true));
        }
      }
    } catch {
      // aborted by close()
    }
  }

  /** Resolves with the first event (already received or coming) that matches, or rejects after `ms`. */
  next(match: (e: SseEvent) => boolean, ms = 2000): Promise<SseEvent> {
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching event within ${ms} ms; got ${JSON.stringify(this.events.map((e) => e.event))}`)), ms);
      this.waiters.push({ match, resolve: (e) => (clearTimeout(timer), resolve(e)) });
    });
  }

  close() {
    this.controller.abort();
  }
}

/** POSTs a JSON body with `"stream": true` and waits for the whole answer (events, or a JSON body). */
export async function postStream(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const c = await SseClient.open(url, { 'Content-Type': 'application/json', ...headers }, { method: 'POST', body: JSON.stringify({ ...body, stream: true }) });
  await c.ended;
  return { status: c.status, json: c.json ?? null, events: c.events };
}
