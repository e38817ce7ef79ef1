import type busboy from 'busboy';
import { lazy } from '../lazy';
import { HttpError } from '../errors';
import type { AppContext } from './context';

// busboy loads with the first multipart upload, not when the server starts.
const loadBusboy = lazy<typeof busboy>('busboy');

export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * Reads a JSON request body up to `limit` bytes. Returns undefined when the request has no
 * body. Wrong content type → 415, too large → 413, malformed JSON → 400 (never a 500).
 */
export async function readJsonBody(ctx: AppContext, limit: number): Promise<unknown> {
  const declared = ctx.request.length;
  if (declared !== undefined && declared > limit) throw tooLarge(limit);
  const type = ctx.request.is('application/json', '+json');
  if (type === null) return undefined;
  if (type === false) {
    throw new HttpError(415, 'unsupported_media_type', 'Send the body as JSON with Content-Type: application/json');
  }
  const text = (await readLimited(ctx, limit)).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, 'invalid_request', `Malformed JSON: ${(err as Error).message}`);
  }
}

/**
 * Reads a non-JSON request body of `type` (e.g. text/csv) as bytes, for the few routes that take
 * one; the same limits and errors as JSON bodies.
 */
export async function readRawBody(ctx: AppContext, type: string, limit: number): Promise<Buffer> {
  const declared = ctx.request.length;
  if (declared !== undefined && declared > limit) throw tooLarge(limit);
  // The declared type, not `is()`: an empty body of the right type is the caller's to judge.
  if (ctx.request.type !== type) throw new HttpError(415, 'unsupported_media_type', `Send the body with Content-Type: ${type}`);
  return readLimited(ctx, limit);
}

export interface MultipartBody {
  /** The text fields, first value of each name. */
  fields: Record<string, string>;
  /** The part named `fileField`, when sent. */
  file?: { filename: string; mimeType: string; data: Buffer };
}

/** Boundaries, part headers and a few small text fields on top of the file itself. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * Reads a multipart/form-data body (an upload form): at most one file, in the part named
 * `fileField`, of at most `limit` bytes (413 beyond), plus a few small text fields. Other files
 * are dropped. The same errors as the other readers: not multipart → 415, malformed → 400.
 */
export async function readMultipart(ctx: AppContext, fileField: string, limit: number): Promise<MultipartBody> {
  const declared = ctx.request.length;
  if (declared !== undefined && declared > limit + MULTIPART_OVERHEAD) throw tooLarge(limit);
  if (!ctx.request.is('multipart/form-data')) throw new HttpError(415, 'unsupported_media_type', 'Send the body as multipart/form-data');
  const req = ctx.req;
  return new Promise((resolve, reject) => {
    const fields: Record<string, string> = {};
    let file: MultipartBody['file'];
    let settled = false;
    let bb: busboy.Busboy;
    try {
      bb = loadBusboy()({ headers: req.headers, limits: { files: 1, fileSize: limit, fields: 20, fieldSize: 16 * 1024, parts: 40 } });
    } catch (err) {
      return reject(new HttpError(400, 'invalid_request', `Malformed multipart body: ${(err as Error).message}`));
    }
    const finish = (err?: Error) => {
      if (settled) return;
      settled = true;
      req.off('close', onClose);
      if (!err) return resolve({ fields, file });
      // As in readLimited: the rest of the upload is left unread and the connection closes after the answer.
      req.unpipe(bb);
      req.pause();
      ctx.set('Connection', 'close');
      reject(err);
    };
    bb.on('field', (name, value) => {
      if (!(name in fields)) fields[name] = value;
    });
    bb.on('file', (name, stream, info) => {
      if (name !== fileField || file) return void stream.resume();
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('limit', () => finish(tooLarge(limit)));
      stream.on('end', () => {
        if (!stream.truncated) file = { filename: info.filename ?? '', mimeType: info.mimeType, data: Buffer.concat(chunks) };
      });
    });
    bb.on('error', (err: Error) => finish(new HttpError(400, 'invalid_request', `Malformed multipart body: ${err.message}`)));
    bb.on('close', () => finish());
    const onClose = () => {
      if (!req.complete) finish(new HttpError(400, 'invalid_request', 'The request body ended early'));
    };
    req.on('close', onClose);
    req.pipe(bb);
  });
}

/**
 * Collects the body, refusing it once it passes `limit` (a chunked body declares no length).
 * Not `for await`: leaving that loop early destroys the request and its socket, and the 413
 * then has nowhere to go. Here the rest of the upload is left unread and the connection closes
 * after the answer.
 */
function readLimited(ctx: AppContext, limit: number): Promise<Buffer> {
  const req = ctx.req;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const done = (err?: Error) => {
      req.off('data', onData).off('end', onEnd).off('error', done).off('close', onClose);
      if (err) reject(err);
      else resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      req.pause();
      ctx.set('Connection', 'close');
      done(tooLarge(limit));
    };
    const onEnd = () => done();
    const onClose = () => done(new HttpError(400, 'invalid_request', 'The request body ended early'));
    req.on('data', onData).on('end', onEnd).on('error', done).on('close', onClose);
  });
}

function tooLarge(limit: number) {
  return new HttpError(413, 'payload_too_large', `The request body is larger than ${Math.round(limit / 1024)} KB`);
}
