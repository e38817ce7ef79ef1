// The SSE reader the widget and Mission Control share, fed byte by byte, with every line ending.
import { describe, expect, it } from 'vitest';
import { readReply } from './chat-stream-reader';

const REPLY = { session_id: 's1', message_id: 'm1', reply: 'Ciao, è tutto qui.', from: 'bot', status: 'bot', handoff: false };

/** A response whose body arrives in the given pieces (bytes, so a split can fall inside a character). */
function sse(pieces: Uint8Array[], type = 'text/event-stream; charset=utf-8'): Response {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) {
      if (i < pieces.length) c.enqueue(pieces[i++]!);
      else c.close();
    },
  });
  return new Response(body, { headers: { 'Content-Type': type } });
}
const bytes = (s: string) => new TextEncoder().encode(s);
/** Every single byte on its own. */
const oneByOne = (s: string) => [...bytes(s)].map((b) => Uint8Array.of(b));
const frames = (eol: string) =>
  [`: keep-alive`, `event: token${eol}data: {"text":"Ciao,"}`, `event: token${eol}data:{"text":" è"}`, `event: token${eol}data: {"text":" tutto"}`, `event: reply${eol}data: ${JSON.stringify(REPLY)}`]
    .map((f) => f + eol + eol)
    .join('');

async function read(res: Response) {
  const tokens: string[] = [];
  const reply = await readReply(res, (t) => tokens.push(t));
  return { tokens, reply };
}

describe('readReply', () => {
  for (const [name, eol] of [['LF', '\n'], ['CRLF', '\r\n']] as const) {
    it(`reads tokens in order, then the reply (${name}, whole and split at every byte)`, async () => {
      for (const res of [sse([bytes(frames(eol))]), sse(oneByOne(frames(eol)))]) {
        await expect(read(res)).resolves.toEqual({ tokens: ['Ciao,', ' è', ' tutto'], reply: REPLY });
      }
    });
  }

  it('joins multi-line data with newlines', async () => {
    const res = sse([bytes('event: reply\ndata: {"reply":\ndata: "x"}\n\n')]);
    await expect(read(res)).resolves.toEqual({ tokens: [], reply: { reply: 'x' } });
  });

  it('throws the error event, with its code', async () => {
    const res = sse([bytes('event: token\ndata: {"text":"Hi"}\n\nevent: error\ndata: {"error":{"code":"llm_failed","message":"Bob could not answer."}}\n\n')]);
    await expect(read(res)).rejects.toMatchObject({ code: 'llm_failed', message: 'Bob could not answer.' });
  });

  it('throws when the stream ends before the reply', async () => {
    await expect(read(sse([bytes('event: token\ndata: {"text":"Hi"}\n\nevent: reply\ndata: {"rep')]))).rejects.toMatchObject({ code: 'network' });
  });

  it('reads a plain JSON answer (a server that does not stream)', async () => {
    await expect(read(sse([bytes(JSON.stringify(REPLY))], 'application/json'))).resolves.toEqual({ tokens: [], reply: REPLY });
  });
});
