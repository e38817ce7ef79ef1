// `"stream": true` on the chat routes: Bob's answer as Server-Sent Events, so the first words show
// while a model is still writing. Events: `token` {text} (pieces to append, in order), then one
// `reply` (the usual reply body; its text is final and replaces what was streamed, e.g. after a
// fallback to the built-in responder), or `error` {error} if something fails after streaming began.
// Anything that fails before the first token (limits, validation) is the usual JSON error.
import { PassThrough } from 'node:stream';
import { z } from 'zod';
import { ChatReply } from '../../../shared/schemas/chat';
import { ErrorBody } from '../../../shared/schemas/common';
import { toHttpError } from '../../errors';
import type { AppContext } from '../../http/context';
import { sseFrameText } from '../realtime/sse';

/** What a streamed answer sends (documented on each chat route that takes `"stream": true`). */
export const REPLY_STREAM_EVENTS = {
  token: z.object({ text: z.string().describe('the next piece of the answer, to append') }),
  reply: ChatReply, // the final reply body, as without streaming; its text replaces what was streamed
  error: ErrorBody, // something failed after streaming began
};

export async function streamReply(ctx: AppContext, run: (onToken: (text: string) => void) => Promise<ChatReply>): Promise<void> {
  const early: string[] = [];
  let send: ((event: string, data: unknown) => void) | undefined;
  let tokens = 0;
  let firstToken!: () => void;
  const tokenArrived = new Promise<void>((resolve) => (firstToken = resolve));
  const onToken = (text: string) => {
    if (!text) return;
    tokens++;
    if (send) send('token', { text });
    else {
      early.push(text);
      firstToken();
    }
  };
  const work = run(onToken);
  await Promise.race([tokenArrived, work.catch(() => undefined)]);
  if (!early.length) await work; // settled without a token: an error throws here, as JSON

  const stream = new PassThrough();
  send = (event, data) => {
    if (!stream.writableEnded && !stream.destroyed) stream.write(sseFrameText({ event, data }));
  };
  ctx.status = 200;
  ctx.type = 'text/event-stream';
  ctx.set('Cache-Control', 'no-cache');
  ctx.set('X-Accel-Buffering', 'no'); // reverse proxies: do not hold the tokens back
  ctx.body = stream;
  for (const text of early) send('token', { text });
  void work.then(
    (reply) => {
      // An answer that did not stream (the built-in responder) arrives as one piece.
      if (!tokens && reply.reply) send!('token', { text: reply.reply });
      send!('reply', reply);
      stream.end();
    },
    (err: unknown) => {
      const e = toHttpError(err);
      send!('error', { error: { code: e.code, message: e.status >= 500 ? 'Bob could not answer. Try again.' : e.message } });
      stream.end();
    },
  );
}
