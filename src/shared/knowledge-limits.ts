// The sizes a knowledge document may have. Apart from the zod schemas so that Mission Control can
// check a file before uploading it without bundling zod.

/** Uploaded files: Markdown, plain text, HTML or PDF, the type read from the content. */
export const KNOWLEDGE_FILE_MAX = 5 * 1024 * 1024;
/** An imported page: at most this much is read. */
export const KNOWLEDGE_IMPORT_MAX = 2 * 1024 * 1024;
/** The readable text of one document, as stored (typed or edited text too). */
export const KNOWLEDGE_CONTENT_MAX = 1_000_000;
