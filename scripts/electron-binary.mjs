// Where the Electron binary is, or null. Never require('electron') to find out: without a
// binary it tries to download one.
import fs from 'node:fs';
import path from 'node:path';

export function electronBinary(root = path.resolve(import.meta.dirname, '..')) {
  const dir = path.join(root, 'node_modules', 'electron');
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const bin = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(bin) ? bin : null;
}
