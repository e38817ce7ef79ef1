// Reads Bob's answer to a chat request sent with `"stream": true`. A streamed answer is
// text/event-stream: `token` events ({text}, pieces to append in order), then one `reply` event
// (the same body as the non-streamed answer, authoritative), or an `error` event
// ({error: {code, message}}) when something failed after streaming began. Any other response
// (a server that does not stream) is read as JSON.
// Shared by the widget and Mission Control: dependency-free and small, since every site ships it.

/** Thrown for an `error` event or a stream that ends before its `reply`. */
export type StreamFailure = Error & { code: string };
const failure = (code: string, message: string): StreamFailure => Object.assign(new Error(message), { code });

export async function readReply<T>(res: Response, onToken: (text: string) => void): Promise<T> {
  if (!/^text\/event-stream/i.test(res.headers.get('Content-Type') ?? '') || !res.body) return res.json();
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    buffer += decoder.decode(value, { stream: !done });
    // An event ends at a blank line (LF or CRLF); the last piece may be the start of the next one,
    // or half of a line ending split across chunks, so it waits for more.
    const frames = buffer.split(/\r?\n\r?\n/);
    buffer = frames.pop()!;
    for (const frame of frames) {
      let event = 'message';
      let data: string | undefined;
      for (const line of frame.split(/\r?\n/)) {
        // `field: value` (one optional space); comments (":…") have an empty field name.
        const [, field, val = ''] = /^([^:]*):? ?(.*)/.exec(line)!;
        if (field === 'event') event = val;
        else if (field === 'data') data = data === undefined ? val : `${data}\n${val}`;
      }
      if (data === undefined) continue;
      const body = JSON.parse(data);
      if (event === 'token') onToken(body.text);
      else if (event === 'reply') {
        void reader.cancel().catch(() => {});
        return body as T;
      } else if (event === 'error') throw failure(body.error?.code ?? 'internal', body.error?.message ?? 'error');
    }
    if (done) throw failure('network', 'the answer ended early');
  }
}
