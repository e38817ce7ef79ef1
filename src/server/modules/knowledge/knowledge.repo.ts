import type { Selectable } from 'kysely';
import type { SqlDialect } from '../../storage/dialect';
import type { KnowledgeDocumentsTable } from '../../storage/schema';
import { tenantRowsVersion } from '../../storage/rows-version';
import type { Storage } from '../../storage/sqlite';
import type { Passage } from '../responder/knowledge-index';

export type KnowledgeRow = Selectable<KnowledgeDocumentsTable>;

/** A document without its text (lists). */
export type KnowledgeSummaryRow = Omit<KnowledgeRow, 'content'>;

const SUMMARY = ['id', 'tenant_id', 'title', 'type', 'source_url', 'size', 'chunks', 'created_by', 'created_at', 'updated_at', 'fetched_at'] as const;

export type KnowledgeRepo = ReturnType<typeof createKnowledgeRepo>;

const versionOf = tenantRowsVersion('knowledge_documents');

/**
 * Knowledge documents and their passages. A document and its passages are always written
 * together (call the writes in the caller's unit of work), so the responder never sees one
 * without the other.
 */
export function createKnowledgeRepo(db: Storage, dialect: SqlDialect) {
  const documents = (tenantId: string) => db.selectFrom('knowledge_documents').where('tenant_id', '=', tenantId);

  // One statement per passage: the same SQL text each time, so its prepared statement is reused.
  const writePassages = async (tenantId: string, documentId: string, texts: string[]) => {
    await db.deleteFrom('knowledge_passages').where('document_id', '=', documentId).execute();
    for (const [seq, text] of texts.entries()) {
      await db.insertInto('knowledge_passages').values({ document_id: documentId, tenant_id: tenantId, seq, text }).execute();
    }
  };

  return {
    /** Newest change first, without the text. */
    list: (tenantId: string): Promise<KnowledgeSummaryRow[]> => documents(tenantId).select(SUMMARY).orderBy('updated_at', 'desc').orderBy('id').execute(),
    byId: (tenantId: string, id: string) => documents(tenantId).selectAll().where('id', '=', id).executeTakeFirst(),
    /**
     * Changes whenever a document is added, edited, re-fetched or removed (the responder's index
     * cache). From the (tenant_id, updated_at) index alone: asked on every visitor message, it
     * never reads a document's text.
     */
    version: (tenantId: string) => versionOf(db, dialect, tenantId),
    /** Every passage of the business, with its document's title, in document order. */
    passages: async (tenantId: string): Promise<Passage[]> => {
      const rows = await db
        .selectFrom('knowledge_passages as p')
        .innerJoin('knowledge_documents as d', 'd.id', 'p.document_id')
        .select(['p.document_id', 'p.seq', 'd.title', 'p.text'])
        .where('p.tenant_id', '=', tenantId)
        .orderBy('d.created_at')
        .orderBy('d.id')
        .orderBy('p.seq')
        .execute();
      return rows.map((p) => ({ id: `${p.document_id}:${p.seq}`, documentId: p.document_id, title: p.title, text: p.text }));
    },
    /** A new document and its passages (in the caller's unit of work). */
    async insert(doc: Omit<KnowledgeRow, 'created_at' | 'updated_at' | 'chunks'> & { at: string }, texts: string[]) {
      const { at, ...row } = doc;
      await db
        .insertInto('knowledge_documents')
        .values({ ...row, chunks: texts.length, created_at: at, updated_at: at })
        .execute();
      await writePassages(doc.tenant_id, doc.id, texts);
    },
    /** New text (and title): the passages are replaced (in the caller's unit of work). */
    async replace(doc: Pick<KnowledgeRow, 'id' | 'tenant_id' | 'title' | 'type' | 'size' | 'content'> & { at: string; fetched_at: string | null }, texts: string[]) {
      await db
        .updateTable('knowledge_documents')
        .set((eb) => ({
          title: doc.title,
          type: doc.type,
          size: doc.size,
          content: doc.content,
          chunks: texts.length,
          updated_at: doc.at,
          fetched_at: eb.fn.coalesce(eb.val(doc.fetched_at), eb.ref('fetched_at')),
        }))
        .where('tenant_id', '=', doc.tenant_id)
        .where('id', '=', doc.id)
        .execute();
      await writePassages(doc.tenant_id, doc.id, texts);
    },
    rename: async (tenantId: string, id: string, title: string, at: string) => {
      await db.updateTable('knowledge_documents').set({ title, updated_at: at }).where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    },
    /** Passages go with the document (ON DELETE CASCADE). */
    remove: async (tenantId: string, id: string) => {
      const r = await db.deleteFrom('knowledge_documents').where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
  };
}
