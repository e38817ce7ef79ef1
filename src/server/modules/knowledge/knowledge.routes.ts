import { z } from 'zod';
import { listOf, uuid } from '../../../shared/schemas/common';
import {
  KNOWLEDGE_FILE_MAX,
  KnowledgeDocument,
  KnowledgeDocumentDetail,
  KnowledgeImport,
  KnowledgeInput,
  KnowledgeUpdate,
} from '../../../shared/schemas/knowledge';
import { HttpError, invalidRequest } from '../../errors';
import { readJsonBody, readMultipart } from '../../http/body';
import { authOf, type AppContext } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import { tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import type { KnowledgeActor, KnowledgeService } from './knowledge.service';

const Scope = z.object({ business_id: z.string().max(64).optional().describe('platform admins: another tenant') });
const IdParams = z.object({ id: uuid });

/** The multipart form of POST /api/knowledge (documented; read by readMultipart). */
const KnowledgeUpload = z
  .object({
    file: z.file().describe('Markdown, plain text, HTML or PDF, at most 5 MB; the type is read from the content, not the name'),
    title: z.string().max(200).optional().describe("default: the file's name without its extension, else the HTML <title> or the PDF's Title"),
  })
  .meta({ id: 'KnowledgeUpload' });

const IMPORT_ERRORS =
  'Refused imports answer 400 with `error.code`: `origin_not_allowed` (not one of the widget keys\' allowed origins, listed in `error.details.allowed_origins`), ' +
  '`private_address` (a private or loopback target, unless BOB_ALLOW_PRIVATE_WEBHOOKS=1), `redirect_off_origin` (a redirect leaves the origin; at most 3 are followed), ' +
  '`page_too_large` (over 2 MB), `unsupported_page_type` (not HTML, plain text or Markdown), `fetch_failed` (no answer within 5 s, an error status, …), `no_text`.';

/** A business's knowledge documents, which the responder answers from (permission catalog.manage). */
export function registerKnowledgeRoutes(api: ApiRouter, deps: { knowledge: KnowledgeService; tenants: TenantsRepo }) {
  const { knowledge } = deps;
  const actor = async (ctx: AppContext, query: { business_id?: string }): Promise<KnowledgeActor> => ({ tenantId: (await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, auth: authOf(ctx), ip: ctx.ip });
  const common = { tag: 'Knowledge', auth: 'user' as const, permission: 'catalog.manage' as const, query: Scope };

  api.add({
    ...common,
    method: 'GET',
    path: '/api/knowledge',
    summary: "The business's knowledge documents, the most recently changed first (without their text)",
    response: listOf(KnowledgeDocument),
    handler: async (ctx, { query }) => ({ data: await knowledge.list((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id), next_cursor: null }),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/knowledge',
    summary: 'Add a document: a file (multipart/form-data, field `file`, at most 5 MB) or typed text (JSON); Bob answers from it at once',
    description:
      'A file is typed by its content, not its name: `%PDF-` is a PDF (its text read from every page), HTML is reduced to its readable text ' +
      '(no scripts, styles, navigation, header, footer, images or link addresses), other UTF-8 text is Markdown or plain text. ' +
      'Anything else answers 415 `unsupported_media_type`; a document without readable text (empty, or a scanned PDF) answers 400 `no_text`; ' +
      'a damaged or password-protected PDF 400 `unreadable_pdf`; more than 1,000,000 characters of text 400 `document_too_long`.',
    accepts: { 'application/json': KnowledgeInput, 'multipart/form-data': KnowledgeUpload },
    status: 201,
    response: KnowledgeDocument,
    errors: [400, 413, 415],
    async handler(ctx, { query }) {
      const a = await actor(ctx, query);
      if (ctx.request.is('multipart/form-data')) {
        const form = await readMultipart(ctx, 'file', KNOWLEDGE_FILE_MAX);
        if (!form.file) throw new HttpError(400, 'invalid_request', 'Attach the document as the form field `file`');
        return knowledge.upload(a, form.file, form.fields.title);
      }
      if (!ctx.request.is('application/json', '+json')) {
        throw new HttpError(415, 'unsupported_media_type', 'Upload a file as multipart/form-data (field `file`) or send JSON {title, content}');
      }
      const parsed = KnowledgeInput.safeParse((await readJsonBody(ctx, KNOWLEDGE_FILE_MAX)) ?? {});
      if (!parsed.success) throw invalidRequest(parsed.error, 'body');
      return knowledge.create(a, parsed.data);
    },
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/knowledge/import',
    summary: "Import one page of the business's own site (one of its widget origins): its readable text, fetched again by …/refetch",
    description: `Redirects are followed only within the page's origin; the whole fetch has 5 seconds and reads at most 2 MB. ${IMPORT_ERRORS}`,
    body: KnowledgeImport,
    status: 201,
    response: KnowledgeDocument,
    handler: async (ctx, { query, body }) => knowledge.importPage(await actor(ctx, query), body),
  });

  api.add({
    ...common,
    method: 'GET',
    path: '/api/knowledge/:id',
    summary: 'A document with its readable text',
    params: IdParams,
    response: KnowledgeDocumentDetail,
    errors: [404],
    handler: async (ctx, { query, params }) => knowledge.get((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.id),
  });

  api.add({
    ...common,
    method: 'PUT',
    path: '/api/knowledge/:id',
    summary: 'Rename a document or replace its text (split into passages again at once)',
    params: IdParams,
    body: KnowledgeUpdate,
    bodyLimit: KNOWLEDGE_FILE_MAX,
    response: KnowledgeDocument,
    errors: [404],
    handler: async (ctx, { query, params, body }) => knowledge.update(await actor(ctx, query), params.id, body),
  });

  api.add({
    ...common,
    method: 'DELETE',
    path: '/api/knowledge/:id',
    summary: 'Delete a document; Bob stops answering from it at once',
    params: IdParams,
    status: 204,
    errors: [404],
    handler: async (ctx, { query, params }) => knowledge.remove(await actor(ctx, query), params.id),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/knowledge/:id/refetch',
    summary: 'Fetch an imported page again (the same checks as the import) and replace its text',
    description: `A document that was not imported answers 409 \`not_imported\`. ${IMPORT_ERRORS}`,
    params: IdParams,
    response: KnowledgeDocument,
    errors: [404, 409],
    handler: async (ctx, { query, params }) => knowledge.refetch(await actor(ctx, query), params.id),
  });
}
