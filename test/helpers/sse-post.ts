/** POSTs a JSON body asking for `"stream": true` and collects the SSE events with their arrival times. */
export async function postStream(url: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const started = performance.now();
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify({ ...body, stream: true }) });
  const events: { event: string; data: any; at: number }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  if (!res.headers.get('content-type')?.startsWith('text/event-stream')) return { status: res.status, json: await res.json(), events };
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body!) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(frame)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      events.push({ event, data: data ? JSON.parse(data) : null, at: performance.now() - started });
    }
  }
  return { status: res.status, json: null, events };
}
