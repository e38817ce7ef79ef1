import { z } from 'zod';
import { KNOWLEDGE_CONTENT_MAX } from '../knowledge-limits';
import { isoDateTime, uuid } from './common';

export { KNOWLEDGE_CONTENT_MAX, KNOWLEDGE_FILE_MAX, KNOWLEDGE_IMPORT_MAX } from '../knowledge-limits';

export const KnowledgeType = z.enum(['markdown', 'text', 'html', 'pdf']);
export type KnowledgeType = z.infer<typeof KnowledgeType>;

const title = z.string().trim().min(1, 'give the document a title').max(200);
const content = z.string().trim().min(1, 'the document has no text').max(KNOWLEDGE_CONTENT_MAX);

/** POST /api/knowledge as JSON: typed text (Markdown or plain). */
export const KnowledgeInput = z
  .object({ title, content, type: z.enum(['markdown', 'text']).default('markdown') })
  .meta({ id: 'KnowledgeInput' });

/** PUT /api/knowledge/:id: a new title and/or text (re-split and re-indexed at once). */
export const KnowledgeUpdate = z
  .object({ title: title.optional(), content: content.optional() })
  .refine((v) => v.title !== undefined || v.content !== undefined, 'send a title, a content or both')
  .meta({ id: 'KnowledgeUpdate' });

/** POST /api/knowledge/import: one page from one of the business's allowed widget origins. */
export const KnowledgeImport = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'use a web address starting with https:// or http://' }).max(2000),
    title: title.optional().describe("default: the page's <title>"),
  })
  .meta({ id: 'KnowledgeImport' });

export const KnowledgeDocument = z
  .object({
    id: uuid,
    title: z.string(),
    type: KnowledgeType,
    size: z.number().int().describe('bytes uploaded or fetched'),
    chunks: z.number().int().describe('passages Bob retrieves from'),
    source_url: z.string().nullable().describe('imported pages: fetched again by POST /api/knowledge/:id/refetch'),
    created_at: isoDateTime,
    updated_at: isoDateTime,
    fetched_at: isoDateTime.nullable(),
  })
  .meta({ id: 'KnowledgeDocument' });
export type KnowledgeDocument = z.infer<typeof KnowledgeDocument>;

export const KnowledgeDocumentDetail = KnowledgeDocument.extend({ content: z.string().describe('the readable text Bob answers from') }).meta({ id: 'KnowledgeDocumentDetail' });
export type KnowledgeDocumentDetail = z.infer<typeof KnowledgeDocumentDetail>;

/** A document an answer was based on (ReplyBasis.documents). */
export const DocumentRef = z.object({ id: uuid, title: z.string() }).meta({ id: 'DocumentRef' });
export type DocumentRef = z.infer<typeof DocumentRef>;
