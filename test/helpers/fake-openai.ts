// A local stand-in for an OpenAI-compatible server (Ollama, LM Studio, llama.cpp, OpenAI), so
// tests exercise the real HTTP path, streaming included, without a model or a network.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** How the server answers the next chat completion requests. */
export type FakeMode =
  /** The answer: plain JSON, or token by token over SSE when the request asks for a stream. */
  | { kind: 'reply'; text: string; chunkDelayMs?: number }
  /** Waits before sending anything, then answers like `reply`. */
  | { kind: 'slow'; delayMs: number; text: string }
  | { kind: 'fail'; status: number; body?: string }
  /** 200 with JSON that is not a chat completion. */
  | { kind: 'malformed' }
  /** Drops the connection without answering. */
  | { kind: 'reset' }
  /** Decides per request, from the request body. */
  | { kind: 'script'; respond: (body: any) => FakeMode }; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface FakeRequest {
  headers: IncomingHttpHeaders;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export interface FakeOpenAi {
  /** The API root, ending in /v1. */
  url: string;
  /** Every chat completion request, in order. */
  requests: FakeRequest[];
  setMode(mode: FakeMode): void;
  close(): Promise<void>;
}

export interface FakeOpenAiOptions {
  mode?: FakeMode;
  /** The model name the server reports; `fake-model` unless given. */
  model?: string;
}

export async function startFakeOpenAi(opts: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const model = opts.model ?? 'fake-model';
  let mode: FakeMode = opts.mode ?? { kind: 'reply', text: 'OK' };
  const requests: FakeRequest[] = [];

  const server = createServer((req, res) => {
    void route(req, res).catch(() => res.destroy());
  });

  async function route(req: IncomingMessage, res: ServerResponse) {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    if (req.method === 'GET' && path === '/v1/models') return json(res, 200, { object: 'list', data: [{ id: model, object: 'model' }] });
    if (req.method !== 'POST' || path !== '/v1/chat/completions') return json(res, 404, { error: { message: `no route ${req.method} ${path}` } });
    const raw = await readBody(req);
    let body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
    try {
      body = JSON.parse(raw);
    } catch {
      return json(res, 400, { error: { message: 'body is not JSON' } });
    }
    requests.push({ headers: req.headers, body });
    await answer(mode.kind === 'script' ? mode.respond(body) : mode, body, res);
  }

  async function answer(m: FakeMode, body: any, res: ServerResponse): Promise<void> { // eslint-disable-line @typescript-eslint/no-explicit-any
    switch (m.kind) {
      case 'reply':
        return body.stream ? stream(res, m.text, m.chunkDelayMs ?? 0) : json(res, 200, completion(m.text));
      case 'slow':
        if (!(await sleep(m.delayMs, res))) return;
        return answer({ kind: 'reply', text: m.text }, body, res);
      case 'fail':
        res.writeHead(m.status, { 'content-type': 'application/json' });
        res.end(m.body ?? JSON.stringify({ error: { message: `fake failure ${m.status}` } }));
        return;
      case 'malformed':
        return json(res, 200, { object: 'chat.completion', result: 'no choices here' });
      case 'reset':
        res.socket?.destroy();
        return;
      case 'script':
        return answer(m.respond(body), body, res);
    }
  }

  const completion = (text: string) => ({
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
    usage: usage(text),
  });
  const usage = (text: string) => ({ prompt_tokens: 10, completion_tokens: tokens(text).length, total_tokens: 10 + tokens(text).length });
  const chunk = (delta: object, finish: string | null = null) => ({
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });

  // Shaped like OpenAI's stream: a role-only first chunk, one chunk per token, an empty closing
  // delta, a usage-only chunk, then [DONE].
  async function stream(res: ServerResponse, text: string, delayMs: number) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const send = (data: unknown) => res.write(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`);
    send(chunk({ role: 'assistant', content: '' }));
    for (const token of tokens(text)) {
      if (delayMs && !(await sleep(delayMs, res))) return;
      send(chunk({ content: token }));
    }
    send(chunk({}, 'stop'));
    send({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', model, choices: [], usage: usage(text) });
    send('[DONE]');
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests,
    setMode: (m) => void (mode = m),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Word-ish tokens that join back into the exact text: each word keeps the space before it. */
const tokens = (text: string) => text.match(/\s*\S+|\s+$/g) ?? [];

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  let raw = '';
  for await (const part of req) raw += part;
  return raw;
}

/** Resolves true after `ms`, or false as soon as the client goes away. */
function sleep(ms: number, res: ServerResponse): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => (res.off('close', gone), resolve(!res.destroyed)), ms);
    const gone = () => (clearTimeout(timer), resolve(false));
    res.once('close', gone);
  });
}
