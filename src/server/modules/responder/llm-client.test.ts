import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOpenAi, type FakeOpenAi } from '../../../../test/helpers/fake-openai';
import { complete, LlmError, testConnection, type ChatMessage, type LlmSettings } from './llm-client';

let fake: FakeOpenAi;
beforeAll(async () => void (fake = await startFakeOpenAi()));
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.setMode({ kind: 'reply', text: 'OK' });
});

const settings = (over: Partial<LlmSettings> = {}): LlmSettings => ({ baseUrl: fake.url, model: 'fake-model', timeoutMs: 5000, ...over });
const ask: ChatMessage[] = [
  { role: 'system', content: 'You are Bob.' },
  { role: 'user', content: 'How much is Pro?' },
];

/** The LlmError a call rejects with (fails the test when it resolves or throws something else). */
async function llmError(p: Promise<unknown>): Promise<LlmError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(LlmError);
  return err as LlmError;
}

/** A fetch that answers with the given SSE body, cut into the given pieces. */
function sseFetch(pieces: string[]): typeof fetch {
  return async () => {
    const bytes = pieces.map((p) => new TextEncoder().encode(p));
    const body = new ReadableStream<Uint8Array>({
      pull(c) {
        const next = bytes.shift();
        if (next) c.enqueue(next);
        else c.close();
      },
    });
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
  };
}
const chunk = (content: string | null) => JSON.stringify({ model: 'llama3', choices: [{ index: 0, delta: { content } }] });

describe('complete', () => {
  it('returns a plain reply with model and usage, and sends the documented body', async () => {
    fake.setMode({ kind: 'reply', text: 'Pro is $249 a month.' });
    const r = await complete(settings(), ask);
    expect(r).toEqual({ text: 'Pro is $249 a month.', model: 'fake-model', usage: { prompt_tokens: 10, completion_tokens: 5 } });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]!.body).toEqual({ model: 'fake-model', messages: ask, stream: false, temperature: 0.3 });
    expect(fake.requests[0]!.headers['content-type']).toBe('application/json');
  });

  it('streams tokens in order, and they join into the text', async () => {
    const text = 'Pro costs $249 a month,\nwith 75,000 credits.';
    fake.setMode({ kind: 'reply', text, chunkDelayMs: 5 });
    const tokens: string[] = [];
    const r = await complete(settings(), ask, { onToken: (t) => tokens.push(t) });
    expect(fake.requests[0]!.body.stream).toBe(true);
    expect(tokens.length).toBeGreaterThan(5);
    expect(tokens.every((t) => t.length > 0)).toBe(true);
    expect(tokens.join('')).toBe(text);
    expect(r.text).toBe(text);
    expect(r.model).toBe('fake-model');
    expect(r.usage).toEqual({ prompt_tokens: 10, completion_tokens: tokens.length });
  });

  it('sends a bearer token only when a key is set', async () => {
    await complete(settings({ apiKey: 'sk-test-123' }), ask);
    await complete(settings(), ask);
    await complete(settings({ apiKey: '  ' }), ask);
    expect(fake.requests.map((r) => r.headers.authorization)).toEqual(['Bearer sk-test-123', undefined, undefined]);
  });

  it.each([
    ['the root with /v1', (u: string) => u],
    ['a trailing slash', (u: string) => `${u}/`],
    ['no /v1', (u: string) => u.replace(/\/v1$/, '')],
    ['no /v1 and a trailing slash', (u: string) => u.replace(/\/v1$/, '/')],
    ['several trailing slashes', (u: string) => `${u}//`],
  ])('reaches /v1/chat/completions from %s', async (_, base) => {
    const r = await complete(settings({ baseUrl: base(fake.url) }), ask);
    expect(r.text).toBe('OK');
  });

  it('times out well before a slow server answers', async () => {
    fake.setMode({ kind: 'slow', delayMs: 5000, text: 'late' });
    const started = Date.now();
    const err = await llmError(complete(settings({ timeoutMs: 200 }), ask));
    expect(err.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out when the stream is slower than the limit, even after the first tokens', async () => {
    fake.setMode({ kind: 'reply', text: 'one two three four five six seven eight', chunkDelayMs: 100 });
    const tokens: string[] = [];
    const err = await llmError(complete(settings({ timeoutMs: 350 }), ask, { onToken: (t) => tokens.push(t) }));
    expect(err.kind).toBe('timeout');
    expect(tokens.length).toBeGreaterThan(0);
    expect(tokens.length).toBeLessThan(8);
  });

  it('reports an HTTP failure with its status and the start of the body', async () => {
    fake.setMode({ kind: 'fail', status: 500, body: `model exploded ${'x'.repeat(500)}` });
    const err = await llmError(complete(settings(), ask));
    expect(err.kind).toBe('http');
    expect(err.status).toBe(500);
    expect(err.message).toContain('500');
    expect(err.message).toContain('model exploded');
    expect(err.message.length).toBeLessThan(300);
  });

  it('never puts the API key in a message, even when the server echoes it', async () => {
    const apiKey = 'sk-secret-abcdef';
    fake.setMode({ kind: 'fail', status: 401, body: `{"error":{"message":"Incorrect API key provided: ${apiKey}"}}` });
    const err = await llmError(complete(settings({ apiKey }), ask));
    expect(err.kind).toBe('http');
    expect(err.message).toContain('401');
    expect(err.message).not.toContain(apiKey);
  });

  it.each([false, true])('rejects an answer without choices as malformed (stream %s)', async (stream) => {
    fake.setMode({ kind: 'malformed' });
    const err = await llmError(complete(settings(), ask, stream ? { onToken: () => {} } : {}));
    expect(err.kind).toBe('malformed');
  });

  it('rejects a stream event that is not JSON as malformed', async () => {
    const err = await llmError(complete(settings(), ask, { onToken: () => {}, fetchImpl: sseFetch([`data: ${chunk('Hi')}\n\n`, 'data: {oops\n\n']) }));
    expect(err.kind).toBe('malformed');
  });

  it('reports a dropped connection as a network failure', async () => {
    fake.setMode({ kind: 'reset' });
    expect((await llmError(complete(settings(), ask))).kind).toBe('network');
    expect((await llmError(complete(settings(), ask, { onToken: () => {} }))).kind).toBe('network');
  });

  it('reports a refused connection as a network failure', async () => {
    const closed = await startFakeOpenAi();
    const url = closed.url;
    await closed.close();
    const err = await llmError(complete(settings({ baseUrl: url }), ask));
    expect(err.kind).toBe('network');
  });

  it.each([
    ['an empty reply', ''],
    ['a blank reply', '  \n '],
  ])('rejects %s as empty, streamed or not', async (_, text) => {
    fake.setMode({ kind: 'reply', text });
    expect((await llmError(complete(settings(), ask))).kind).toBe('empty');
    const tokens: string[] = [];
    expect((await llmError(complete(settings(), ask, { onToken: (t) => tokens.push(t) }))).kind).toBe('empty');
  });

  it("rejects with the caller's reason when the caller aborts, before or during the stream", async () => {
    fake.setMode({ kind: 'slow', delayMs: 5000, text: 'late' });
    const started = Date.now();
    await expect(complete(settings(), ask, { signal: AbortSignal.timeout(100) })).rejects.toMatchObject({ name: 'TimeoutError' });
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 100);
    await expect(complete(settings(), ask, { signal: ctl.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2000);

    fake.setMode({ kind: 'reply', text: 'one two three four five six', chunkDelayMs: 50 });
    const streaming = new AbortController();
    const seen: string[] = [];
    const err = await complete(settings(), ask, { signal: streaming.signal, onToken: (t) => (seen.push(t), streaming.abort(new Error('visitor left'))) }).catch((e) => e);
    expect(err).toEqual(new Error('visitor left'));
    expect(seen).toEqual(['one']);
  });

  it('passes an error thrown by onToken through unchanged', async () => {
    fake.setMode({ kind: 'reply', text: 'one two three' });
    const boom = new Error('listener broke');
    await expect(
      complete(settings(), ask, {
        onToken: () => {
          throw boom;
        },
      }),
    ).rejects.toBe(boom);
    const fetchImpl: typeof fetch = async () => Response.json({ choices: [{ message: { content: 'All at once.' } }] });
    await expect(
      complete(settings(), ask, {
        fetchImpl,
        onToken: () => {
          throw boom;
        },
      }),
    ).rejects.toBe(boom);
  });

  it('echoes the system prompt through a scripted server', async () => {
    fake.setMode({ kind: 'script', respond: (body) => ({ kind: 'reply', text: `system said: ${body.messages[0].content}` }) });
    expect((await complete(settings(), ask)).text).toBe('system said: You are Bob.');
  });

  it('delivers the whole answer once when a server ignores stream: true', async () => {
    const fetchImpl: typeof fetch = async () => Response.json({ model: 'm', choices: [{ message: { content: 'All at once.' } }] });
    const tokens: string[] = [];
    const r = await complete(settings(), ask, { onToken: (t) => tokens.push(t), fetchImpl });
    expect(tokens).toEqual(['All at once.']);
    expect(r.text).toBe('All at once.');
  });
});

describe('SSE parsing', () => {
  const stream = [
    ': keep-alive comment\r\n\r\n',
    `data: ${JSON.stringify({ model: 'llama3', choices: [{ delta: { role: 'assistant', content: '' } }] })}\r\n\r\n`,
    `data: ${chunk('Ciao')}\r\n\r\n`,
    `event: message\r\nid: 7\r\ndata: ${chunk(null)}\r\n\r\n`,
    `data:${chunk(', sono')}\n\n`,
    `data: ${chunk(' Bob è qui 🙂')}\r\r`,
    `data: ${JSON.stringify({ choices: [{ delta: {}, finish_reason: 'stop' }] })}\n\n`,
    `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 4 } })}\n\n`,
    'data: [DONE]\n\n',
    `data: ${chunk(' after done')}\n\n`,
  ].join('');
  const expected = 'Ciao, sono Bob è qui 🙂';
  // Cut by bytes, so pieces split CRLFs, JSON and the UTF-8 of "è" and the emoji.
  const bytes = new TextEncoder().encode(stream);

  it.each([1, 2, 3, 7, 64, 100_000])('reads CRLF, comments, empty deltas and usage, split every %i bytes', async (size) => {
    const pieces = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.slice(i * size, (i + 1) * size));
    const fetchImpl: typeof fetch = async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          pull(c) {
            const next = pieces.shift();
            if (next) c.enqueue(next);
            else c.close();
          },
        }),
        { headers: { 'content-type': 'text/event-stream; charset=utf-8' } },
      );
    const tokens: string[] = [];
    const r = await complete(settings(), ask, { onToken: (t) => tokens.push(t), fetchImpl });
    expect(tokens).toEqual(['Ciao', ', sono', ' Bob è qui 🙂']);
    expect(r).toEqual({ text: expected, model: 'llama3', usage: { prompt_tokens: 3, completion_tokens: 4 } });
  });

  it('accepts a stream that ends without [DONE] or a final blank line', async () => {
    const r = await complete(settings(), ask, { onToken: () => {}, fetchImpl: sseFetch([`data: ${chunk('Hello')}\n\n`, `data: ${chunk(' there')}`]) });
    expect(r.text).toBe('Hello there');
  });

  it('turns an error event in the stream into an LlmError', async () => {
    const err = await llmError(
      complete(settings(), ask, { onToken: () => {}, fetchImpl: sseFetch([`data: ${chunk('Hel')}\n\n`, 'data: {"error":{"message":"model crashed"}}\n\n']) }),
    );
    expect(err.message).toContain('model crashed');
  });
});

describe('testConnection', () => {
  it('reports the model and the latency when the server answers', async () => {
    const r = await testConnection(settings());
    expect(r).toMatchObject({ ok: true, model: 'fake-model' });
    expect(r.ok && r.latencyMs).toBeGreaterThanOrEqual(0);
    expect(fake.requests[0]!.body).toMatchObject({ stream: false, messages: [{ role: 'user', content: 'Reply with OK' }] });
  });

  it('reports why when it cannot', async () => {
    fake.setMode({ kind: 'fail', status: 404, body: '{"error":{"message":"model \\"nope\\" not found"}}' });
    const r = await testConnection(settings({ model: 'nope' }));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/404.*not found/);
  });

  it('lists its model like a real server', async () => {
    const res = await fetch(`${fake.url}/models`);
    expect(await res.json()).toMatchObject({ data: [{ id: 'fake-model' }] });
  });
});
