// A business's documents as the responder sees them: passages, retrieved per business.
import type { DocumentRef } from '../../../shared/schemas/knowledge';

export interface Passage {
  /** `${documentId}:${seq}` */
  id: string;
  documentId: string;
  title: string;
  text: string;
}

export interface Knowledge {
  /** Changes whenever a document is added, edited, re-fetched or removed (the cached index is rebuilt then). */
  version: string;
  /** Every passage of the business; read only when the cached index is stale. */
  passages(): Passage[];
}

export type { DocumentRef };
