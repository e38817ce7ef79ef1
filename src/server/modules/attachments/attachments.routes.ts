import { z } from 'zod';
import { ChatMessage, SessionIdParams, WidgetSessionQuery } from '../../../shared/schemas/chat';
import type { Clock } from '../../clock';
import { HttpError, notFound } from '../../errors';
import { readMultipart } from '../../http/body';
import { authOf, widgetOf, type AppContext } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import type { ChatRepo } from '../chat/chat.repo';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import { createWidgetGuard, addWidgetPreflights } from '../widget/widget.guard';
import type { WidgetKeysRepo } from '../widget-keys/widget-keys.repo';
import type { AttachmentRow, AttachmentsRepo } from './attachments.repo';
import { MAX_ATTACHMENT_BYTES, type AttachmentsService } from './attachments.service';

/** The multipart form of an upload (documented; read by readMultipart). */
const Upload = z.object({ file: z.string().describe('the file (binary): an image (PNG, JPEG, GIF, WebP) or a PDF, at most 10 MB') }).meta({ id: 'AttachmentUpload' });
const AttachmentParams = z.object({ id: z.uuid() });
const SignedQuery = z.object({ exp: z.coerce.number().int().positive(), sig: z.string().min(1).max(100) });
const WidgetUploadResponse = z.object({ message: ChatMessage.omit({ session_id: true }) }).meta({ id: 'WidgetAttachmentUploaded' });
const CONSUMES = { 'multipart/form-data': Upload };
const UPLOAD_ERRORS = [404, 409, 413, 415, 429];

/** The uploaded file: 413 `too_large` past 10 MB (the body is never read further), 400 without one. */
async function fileOf(ctx: AppContext) {
  let body;
  try {
    body = await readMultipart(ctx, 'file', MAX_ATTACHMENT_BYTES);
  } catch (err) {
    if (err instanceof HttpError && err.status === 413) throw new HttpError(413, 'too_large', 'Files can be at most 10 MB');
    throw err;
  }
  if (!body.file) throw new HttpError(400, 'file_required', 'Send the file in the multipart field `file`');
  return body.file;
}

/** Sends a file: its sniffed type only, images shown inline, PDFs downloaded. */
function send(ctx: AppContext, row: AttachmentRow, data: Buffer, cache: string) {
  const disposition = row.type.startsWith('image/') ? 'inline' : 'attachment';
  const ascii = row.name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  ctx.set('Content-Disposition', `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(row.name)}`);
  ctx.set('X-Content-Type-Options', 'nosniff');
  ctx.set('Cache-Control', cache);
  ctx.type = row.type;
  ctx.body = data;
}

export function registerAttachmentsRoutes(
  api: ApiRouter,
  deps: {
    attachments: AttachmentsService;
    repo: AttachmentsRepo;
    chats: ChatRepo;
    tenants: TenantsRepo;
    keys: WidgetKeysRepo;
    clock: Clock;
    consent?: { check(tenant: NonNullable<Awaited<ReturnType<TenantsRepo['byId']>>>, externalId: string): Promise<void> };
  },
) {
  const { attachments, repo, chats, tenants } = deps;
  const guard = createWidgetGuard(deps.keys, deps.clock);

  api.add({
    method: 'POST',
    path: '/api/chat/sessions/:id/attachments',
    tag: 'Chat',
    summary: 'A person sends a file in a conversation (takes it over, as a message does)',
    description:
      'multipart/form-data, field `file`: an image (PNG, JPEG, GIF, WebP) or a PDF, at most 10 MB (413 `too_large`). The type is read from the bytes ' +
      '(anything else: 415 `unsupported_type`); images lose their metadata (EXIF, GPS, XMP). The plan\'s storage full: 413 `storage_full`. ' +
      'The message (body: the file name, `attachments`: the file) reaches Live and the visitor through the usual streams.',
    auth: 'user',
    permission: 'chat.manage',
    params: SessionIdParams,
    accepts: CONSUMES,
    status: 201,
    response: ChatMessage,
    errors: UPLOAD_ERRORS,
    async handler(ctx, { params }) {
      const auth = authOf(ctx);
      const tenant = await tenantOf(tenants, auth);
      const s = (await chats.find(tenant.id, params.id)) ?? (auth.role === 'admin' ? await chats.findAnyById(params.id) : undefined);
      if (!s) throw notFound('Session');
      if (s.status === 'closed') throw new HttpError(409, 'session_closed', 'This conversation is closed; the visitor has to write again to reopen it');
      const file = await fileOf(ctx);
      const owner = s.tenant_id === tenant.id ? tenant : (await tenants.byId(s.tenant_id))!;
      return attachments.upload(owner, s, { author: 'agent', auth }, file);
    },
  });

  api.add({
    method: 'GET',
    path: '/api/attachments/:id',
    tag: 'Chat',
    summary: 'A file sent in a conversation (signed-in staff; another business\'s: 404)',
    auth: 'user',
    permission: 'chat.view',
    params: AttachmentParams,
    produces: 'application/octet-stream',
    errors: [404],
    async handler(ctx, { params }) {
      const auth = authOf(ctx);
      const row = (await repo.byId(auth.tenantId, params.id)) ?? (auth.role === 'admin' ? await repo.byAnyId(params.id) : undefined);
      if (!row) throw notFound('Attachment');
      send(ctx, row, await attachments.read(row), 'private, max-age=300');
    },
  });

  addWidgetPreflights(api, deps.keys, ['/api/widget/attachments']);

  api.add({
    method: 'POST',
    path: '/api/widget/attachments',
    tag: 'Widget',
    summary: 'The visitor sends a file in their conversation (cross-origin embed)',
    description:
      'Same key and origin rules as `POST /api/widget/chat`; the conversation must exist (409 `conversation_required`: write first). ' +
      'multipart/form-data, field `file`, with the limits of `POST /api/chat/sessions/{id}/attachments`. Answers with the message, its file\'s link signed.',
    auth: 'widget',
    before: guard,
    query: WidgetSessionQuery,
    accepts: CONSUMES,
    status: 201,
    response: WidgetUploadResponse,
    errors: [401, 403, ...UPLOAD_ERRORS],
    async handler(ctx, { query }) {
      const w = widgetOf(ctx);
      const tenant = await tenants.byId(w.tenantId);
      if (!tenant) throw notFound('Business');
      await deps.consent?.check(tenant, query.session_id);
      const s = await chats.byExternalId(tenant.id, query.session_id);
      if (!s) throw new HttpError(409, 'conversation_required', 'Write a message first, then send files');
      const file = await fileOf(ctx);
      const { session_id: _internal, ...message } = await attachments.upload(tenant, s, { author: 'visitor', ip: ctx.ip }, file);
      return { message: attachments.forVisitor(message) };
    },
  });

  api.add({
    method: 'GET',
    path: '/api/widget/attachments/:id',
    tag: 'Widget',
    summary: 'A file of the visitor\'s conversation, by the signed link the widget was given (valid about 15 minutes)',
    description: 'Expired link: 403 `link_expired`; a link not signed by this Bob: 403 `invalid_signature`.',
    auth: 'public',
    params: AttachmentParams,
    query: SignedQuery,
    produces: 'application/octet-stream',
    errors: [403, 404],
    async handler(ctx, { params, query }) {
      attachments.verify(params.id, query.exp, query.sig);
      const row = await repo.byAnyId(params.id);
      if (!row) throw notFound('Attachment');
      send(ctx, row, await attachments.read(row), 'private, max-age=600');
    },
  });
}
