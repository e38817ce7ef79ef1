import fs from 'node:fs';
import path from 'node:path';

/** The newest modification time of the files under `dir` (0 when it does not exist): is a build older than its sources? */
export function newest(dir) {
  let t = 0;
  if (!fs.existsSync(dir)) return t;
  for (const e of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, fs.statSync(path.join(e.parentPath ?? e.path, e.name)).mtimeMs);
  }
  return t;
}
