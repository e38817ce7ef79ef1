import type { Db } from '../../db/client';
import type { KnowledgeType } from '../../../shared/schemas/knowledge';
import type { Passage } from '../responder/knowledge-index';

export interface KnowledgeRow {
  id: string;
  tenant_id: string;
  title: string;
  type: KnowledgeType;
  source_url: string | null;
  size: number;
  content: string;
  chunks: number;
  created_by: string | null;
  created_at: string;
  updated_at: string;
  fetched_at: string | null;
}

/** A document without its text (lists). */
export type KnowledgeSummaryRow = Omit<KnowledgeRow, 'content'>;

const SUMMARY = 'id, tenant_id, title, type, source_url, size, chunks, created_by, created_at, updated_at, fetched_at';

export type KnowledgeRepo = ReturnType<typeof createKnowledgeRepo>;

/**
 * Knowledge documents and their passages. A document and its passages are always written
 * together (call the writes inside the caller's transaction), so the responder never sees one
 * without the other.
 */
export function createKnowledgeRepo(db: Db) {
  const list = db.prepare<[string], KnowledgeSummaryRow>(`SELECT ${SUMMARY} FROM knowledge_documents WHERE tenant_id = ? ORDER BY updated_at DESC, id`);
  const byId = db.prepare<[string, string], KnowledgeRow>('SELECT * FROM knowledge_documents WHERE tenant_id = ? AND id = ?');
  // From the (tenant_id, updated_at) index alone: asked on every visitor message, it never reads a document's text.
  const version = db.prepare<[string], { n: number; latest: string | null; rows: number | null }>(
    'SELECT COUNT(*) AS n, MAX(updated_at) AS latest, SUM(rowid) AS rows FROM knowledge_documents WHERE tenant_id = ?',
  );
  const passages = db.prepare<[string], { document_id: string; seq: number; title: string; text: string }>(
    `SELECT p.document_id, p.seq, d.title, p.text FROM knowledge_passages p JOIN knowledge_documents d ON d.id = p.document_id
     WHERE p.tenant_id = ? ORDER BY d.created_at, d.id, p.seq`,
  );
  const insert = db.prepare(
    `INSERT INTO knowledge_documents (id, tenant_id, title, type, source_url, size, content, chunks, created_by, created_at, updated_at, fetched_at)
     VALUES (@id, @tenant_id, @title, @type, @source_url, @size, @content, @chunks, @created_by, @at, @at, @fetched_at)`,
  );
  const update = db.prepare(
    `UPDATE knowledge_documents SET title = @title, type = @type, size = @size, content = @content, chunks = @chunks, updated_at = @at,
     fetched_at = COALESCE(@fetched_at, fetched_at) WHERE tenant_id = @tenant_id AND id = @id`,
  );
  const rename = db.prepare('UPDATE knowledge_documents SET title = ?, updated_at = ? WHERE tenant_id = ? AND id = ?');
  const remove = db.prepare('DELETE FROM knowledge_documents WHERE tenant_id = ? AND id = ?');
  const clearPassages = db.prepare('DELETE FROM knowledge_passages WHERE document_id = ?');
  const insertPassage = db.prepare('INSERT INTO knowledge_passages (document_id, tenant_id, seq, text) VALUES (?, ?, ?, ?)');

  const writePassages = (tenantId: string, documentId: string, texts: string[]) => {
    clearPassages.run(documentId);
    texts.forEach((t, seq) => insertPassage.run(documentId, tenantId, seq, t));
  };

  return {
    /** Newest change first, without the text. */
    list: (tenantId: string) => list.all(tenantId),
    byId: (tenantId: string, id: string) => byId.get(tenantId, id),
    /** Changes whenever a document is added, edited, re-fetched or removed (the responder's index cache). */
    version: (tenantId: string) => {
      const v = version.get(tenantId)!;
      return `${v.n}:${v.latest ?? ''}:${v.rows ?? 0}`;
    },
    /** Every passage of the business, with its document's title, in document order. */
    passages: (tenantId: string): Passage[] =>
      passages.all(tenantId).map((p) => ({ id: `${p.document_id}:${p.seq}`, documentId: p.document_id, title: p.title, text: p.text })),
    /** A new document and its passages (in the caller's transaction). */
    insert(doc: Omit<KnowledgeRow, 'created_at' | 'updated_at' | 'chunks'> & { at: string }, texts: string[]) {
      insert.run({ ...doc, chunks: texts.length });
      writePassages(doc.tenant_id, doc.id, texts);
    },
    /** New text (and title): the passages are replaced (in the caller's transaction). */
    replace(doc: Pick<KnowledgeRow, 'id' | 'tenant_id' | 'title' | 'type' | 'size' | 'content'> & { at: string; fetched_at: string | null }, texts: string[]) {
      update.run({ ...doc, chunks: texts.length });
      writePassages(doc.tenant_id, doc.id, texts);
    },
    rename: (tenantId: string, id: string, title: string, at: string) => rename.run(title, at, tenantId, id),
    /** Passages go with the document (ON DELETE CASCADE). */
    remove: (tenantId: string, id: string) => remove.run(tenantId, id).changes > 0,
  };
}
