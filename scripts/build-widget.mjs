#!/usr/bin/env node
// Builds widget/src into one dependency-free IIFE at out/widget/widget.js (served per tenant).
import { build } from 'esbuild';

await build({
  entryPoints: ['widget/src/widget.ts'],
  outfile: 'out/widget/widget.js',
  bundle: true,
  format: 'iife',
  minify: true,
  target: ['es2020'],
  legalComments: 'none',
  logLevel: 'warning',
});
