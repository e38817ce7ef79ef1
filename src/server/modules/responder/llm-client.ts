// A client for any server that speaks OpenAI's /v1/chat/completions: Ollama, LM Studio,
// llama.cpp's server, OpenAI itself. Plain fetch and no SDK: the part these servers share is
// small, and everything outside it differs from one to the next, so only that part is read.
import { z } from 'zod';

export interface LlmSettings {
  /**
   * The API root, e.g. `http://127.0.0.1:11434/v1`. Trailing slashes are dropped and `/v1` is
   * added when the root does not already end with it, so `http://127.0.0.1:11434` and
   * `http://127.0.0.1:11434/v1/` both reach `http://127.0.0.1:11434/v1/chat/completions`.
   */
  baseUrl: string;
  model: string;
  /** Sent as `Authorization: Bearer …`; local servers need none, so a blank key sends nothing. */
  apiKey?: string;
  /** One limit for the whole call: connecting, waiting, and reading the answer to its end. */
  timeoutMs: number;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

export interface CompleteOptions {
  /** Cancels the call, which then rejects with the signal's reason rather than an LlmError. */
  signal?: AbortSignal;
  /** Asks for a streamed answer and receives each non-empty piece of text in order. */
  onToken?: (token: string) => void;
  fetchImpl?: typeof fetch;
}

export interface Usage {
  prompt_tokens: number;
  completion_tokens: number;
}

export interface Completion {
  text: string;
  model: string;
  usage?: Usage;
}

export type LlmErrorKind = 'timeout' | 'http' | 'network' | 'malformed' | 'empty';

/** Why a completion failed. The message is safe to show and log: it never holds the API key. */
export class LlmError extends Error {
  override readonly name = 'LlmError';
  constructor(
    readonly kind: LlmErrorKind,
    message: string,
    /** The HTTP status, for kind `http` when the server sent one. */
    readonly status?: number,
  ) {
    super(message);
  }
}

// Only what is read is described; servers add many fields of their own, and unknown keys are
// dropped. Usage is a bonus: an odd one is ignored rather than failing an otherwise good answer.
const UsageShape = z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).optional().catch(undefined);
const ReplyShape = z.object({
  model: z.string().optional(),
  choices: z.array(z.object({ message: z.object({ content: z.string().nullish() }) })),
  usage: UsageShape,
});
const ChunkShape = z
  .object({
    model: z.string().optional(),
    choices: z.array(z.object({ delta: z.object({ content: z.string().nullish() }).optional() })).optional(),
    usage: UsageShape,
  })
  // The closing chunk of some servers carries only usage; anything with neither is not a chunk.
  .refine((c) => c.choices !== undefined || c.usage !== undefined);
// Some servers report failures inside a 200 answer, or in the middle of a stream.
const ErrorShape = z.object({ error: z.union([z.string(), z.object({ message: z.string() })]) });

interface Answer {
  text: string;
  model?: string;
  usage?: Usage;
}

/** An onToken failure, carried through the read loop so it reaches the caller unchanged. */
class CallbackError {
  constructor(readonly error: unknown) {}
}
const guarded =
  (listener: (token: string) => void) =>
  (token: string): void => {
    try {
      listener(token);
    } catch (error) {
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- a marker, unwrapped in failure() so the listener's own error is rethrown as is
      throw new CallbackError(error);
    }
  };

export async function complete(settings: LlmSettings, messages: ChatMessage[], opts: CompleteOptions = {}): Promise<Completion> {
  const timeout = AbortSignal.timeout(settings.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
  const onToken = opts.onToken && guarded(opts.onToken);
  try {
    const res = await (opts.fetchImpl ?? fetch)(endpoint(settings.baseUrl), {
      method: 'POST',
      headers: headers(settings.apiKey, !!onToken),
      body: JSON.stringify({ model: settings.model, messages, stream: !!onToken, temperature: 0.3 }),
      signal,
    });
    if (!res.ok) throw new LlmError('http', `the model server answered HTTP ${res.status}: ${excerpt(await res.text())}`, res.status);
    const answer = onToken && !isJson(res) ? await readStream(res, onToken) : readReply(await res.text());
    if (!answer.text.trim()) throw new LlmError('empty', 'the model returned an empty answer');
    // A server that ignored `stream: true` still gets its answer to the listener, in one piece.
    if (onToken && isJson(res)) onToken(answer.text);
    return { text: answer.text, model: answer.model ?? settings.model, ...(answer.usage && { usage: answer.usage }) };
  } catch (err) {
    throw failure(err, settings, timeout, opts.signal);
  }
}

/** One tiny, unstreamed completion: proves the address, the key and the model name together. */
export async function testConnection(settings: LlmSettings): Promise<{ ok: true; model: string; latencyMs: number } | { ok: false; error: string }> {
  const started = performance.now();
  try {
    const { model } = await complete(settings, [{ role: 'user', content: 'Reply with OK' }]);
    return { ok: true, model, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.message : String(err) };
  }
}

/** `<root>/chat/completions`, the root being baseUrl without trailing slashes and ending in `/v1`. */
function endpoint(baseUrl: string): string {
  const root = baseUrl.trim().replace(/\/+$/, '');
  return `${root.endsWith('/v1') ? root : `${root}/v1`}/chat/completions`;
}

function headers(apiKey: string | undefined, stream: boolean): Record<string, string> {
  const key = apiKey?.trim();
  return {
    'content-type': 'application/json',
    accept: stream ? 'text/event-stream' : 'application/json',
    ...(key && { authorization: `Bearer ${key}` }),
  };
}

const isJson = (res: Response) => /\bjson\b/i.test(res.headers.get('content-type') ?? '');
const excerpt = (body: string) => body.replace(/\s+/g, ' ').trim().slice(0, 200);

/** Turns whatever went wrong into an LlmError, except a cancellation the caller asked for. */
function failure(err: unknown, settings: LlmSettings, timeout: AbortSignal, caller?: AbortSignal): unknown {
  if (err instanceof CallbackError) return err.error;
  if (caller?.aborted) return caller.reason;
  const e =
    err instanceof LlmError
      ? err
      : timeout.aborted
        ? new LlmError('timeout', `no complete answer from the model server within ${settings.timeoutMs} ms`)
        : new LlmError('network', `could not reach the model server: ${describe(err)}`);
  // A server may echo the key it refused; this message is going to logs and screens.
  const key = settings.apiKey?.trim();
  return key && e.message.includes(key) ? new LlmError(e.kind, e.message.replaceAll(key, '***'), e.status) : e;
}

/** fetch says only "fetch failed"; the reason (ECONNREFUSED, "other side closed") is in its cause. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause as { code?: string; message?: string } | undefined;
  const why = cause?.message || cause?.code;
  return why ? `${err.message} (${why})` : err.message;
}

function serverError(body: unknown): LlmError | undefined {
  const e = ErrorShape.safeParse(body);
  if (!e.success) return undefined;
  return new LlmError('http', `the model server reported an error: ${excerpt(typeof e.data.error === 'string' ? e.data.error : e.data.error.message)}`);
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new LlmError('malformed', `${what} is not JSON: ${excerpt(text)}`);
  }
}

function readReply(body: string): Answer {
  const json = parseJson(body, 'the answer');
  const reply = ReplyShape.safeParse(json);
  if (!reply.success) throw serverError(json) ?? new LlmError('malformed', `the answer is not a chat completion: ${excerpt(body)}`);
  const { model, choices, usage } = reply.data;
  return { text: choices[0]?.message.content ?? '', model, usage };
}

/** Reads a Server-Sent Events answer: `data: {chunk}` events, ended by `data: [DONE]` or by the body. */
async function readStream(res: Response, onToken: (token: string) => void): Promise<Answer> {
  if (!res.body) throw new LlmError('malformed', 'the streamed answer has no body');
  const answer: Answer = { text: '' };
  // True at [DONE]: some servers keep the connection open after it.
  const event = (data: string): boolean => {
    if (data.trim() === '[DONE]') return true;
    const json = parseJson(data, 'a stream event');
    const chunk = ChunkShape.safeParse(json);
    if (!chunk.success) throw serverError(json) ?? new LlmError('malformed', `a stream event is not a chat completion chunk: ${excerpt(data)}`);
    const { model, choices, usage } = chunk.data;
    if (model) answer.model = model;
    if (usage) answer.usage = usage;
    const piece = choices?.[0]?.delta?.content;
    if (piece) {
      answer.text += piece;
      onToken(piece);
    }
    return false;
  };

  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buffer += decoder.decode(value, { stream: !done });
      const { lines, rest } = takeLines(buffer, done);
      buffer = rest;
      for (const line of lines) {
        if (line === '') {
          // A blank line ends an event; its data lines join with newlines, as the SSE format says.
          if (data.length && event(data.join('\n'))) return answer;
          data = [];
        } else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        // Comments (":") and other fields (event, id, retry) carry nothing to read.
      }
      if (done) {
        // A body that ends without a blank line or [DONE] still delivered what it sent.
        if (data.length) event(data.join('\n'));
        return answer;
      }
    }
  } finally {
    // Stop the download when leaving early ([DONE], an error); harmless after the end.
    reader.cancel().catch(() => {});
  }
}

/**
 * Complete lines in the buffer and what is left after them. A line ends at CRLF, LF or CR; a CR
 * at the very end may be the first half of a CRLF split across chunks, so it waits for more.
 */
function takeLines(buffer: string, atEnd: boolean): { lines: string[]; rest: string } {
  const lines: string[] = [];
  let start = 0;
  for (const m of buffer.matchAll(/\r\n|\r|\n/g)) {
    if (m[0] === '\r' && m.index === buffer.length - 1 && !atEnd) break;
    lines.push(buffer.slice(start, m.index));
    start = m.index + m[0].length;
  }
  const rest = buffer.slice(start);
  if (atEnd && rest) lines.push(rest);
  return { lines, rest: atEnd ? '' : rest };
}
