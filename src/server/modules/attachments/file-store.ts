import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';

export type FileStore = ReturnType<typeof createFileStore>;

const SAFE = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The bytes of attachments, outside the database: `<dir>/<tenant id>/<attachment id>`. Instances
 * sharing a PostgreSQL database must share `dir` (BOB_ATTACHMENTS_DIR) too.
 */
export function createFileStore(dir: string) {
  const pathOf = (tenantId: string, id: string) => {
    if (!SAFE.test(tenantId) || !SAFE.test(id)) throw new Error('Unsafe attachment path');
    return path.join(dir, tenantId, id);
  };
  return {
    pathOf,
    /** Writes the file whole (a temporary name, then renamed), so a reader never sees half of it. */
    async write(tenantId: string, id: string, data: Buffer) {
      const target = pathOf(tenantId, id);
      await fs.mkdir(path.dirname(target), { recursive: true });
      const tmp = `${target}.${randomUUID()}.tmp`;
      await fs.writeFile(tmp, data, { mode: 0o600 });
      await fs.rename(tmp, target);
    },
    read: (tenantId: string, id: string) => fs.readFile(pathOf(tenantId, id)),
    /** Removes files (after the run that deleted their rows committed); a file already gone is fine. */
    async remove(tenantId: string, ids: readonly string[]) {
      for (const id of ids) await fs.rm(pathOf(tenantId, id), { force: true });
    },
  };
}
