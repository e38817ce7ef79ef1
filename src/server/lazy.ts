import { createRequire } from 'node:module';

// Not named `require`: the bundlers declare their own at the top of out/main and out/server.
const load = createRequire(import.meta.url);

/**
 * A package loaded on first use instead of when the server starts (start time and idle memory):
 * for libraries only some requests need (CSV, multipart uploads, HTML to text).
 */
export function lazy<T>(id: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load(id) as T);
}
