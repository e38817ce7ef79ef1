#!/usr/bin/env node
// Builds widget/src into dependency-free IIFEs: out/widget/widget.js (the core, served per tenant,
// what loads with the launcher) and out/widget/parts/<name>.js (what loads on demand,
// widget/src/part-loader.ts). The parts are built first: their hash is the core's cache-buster.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

const common = { bundle: true, format: 'iife', minify: true, target: ['es2020'], legalComments: 'none', logLevel: 'warning' };
const partsDir = 'widget/src/parts';
const parts = fs.existsSync(partsDir) ? fs.readdirSync(partsDir).filter((f) => /^[a-z0-9-]+\.ts$/.test(f)).sort() : [];

fs.rmSync('out/widget/parts', { recursive: true, force: true });
const hash = createHash('sha256');
for (const file of parts) {
  const outfile = path.join('out/widget/parts', file.replace(/\.ts$/, '.js'));
  await build({ ...common, entryPoints: [path.join(partsDir, file)], outfile, define: { __BOB_PARTS_VERSION__: '""' } });
  hash.update(file).update(fs.readFileSync(outfile));
}

await build({
  ...common,
  entryPoints: ['widget/src/widget.ts'],
  outfile: 'out/widget/widget.js',
  define: { __BOB_PARTS_VERSION__: JSON.stringify(hash.digest('hex').slice(0, 12)) },
});
