import fs from 'node:fs';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

/** The bundled main process reads the server's SQL migrations from out/main/migrations. */
function copyMigrations(): Plugin {
  return {
    name: 'bob-copy-migrations',
    closeBundle() {
      const from = path.resolve('src/server/db/migrations');
      const to = path.resolve('out/main/migrations');
      // The whole folder: PostgreSQL's migrations are in its pg/ subfolder.
      fs.cpSync(from, to, { recursive: true });
    },
  };
}

export default defineConfig({
  main: {
    plugins: [copyMigrations()],
    build: { rollupOptions: { input: { index: path.resolve('src/main/index.ts') } } },
  },
  preload: {
    // Sandboxed preloads must be CommonJS and self-contained.
    build: {
      rollupOptions: {
        input: { index: path.resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    base: '/app/',
    plugins: [react()],
    // Served to browsers and the window: minified (electron-vite leaves it unminified by default).
    build: { minify: true, rollupOptions: { input: { index: path.resolve('src/renderer/index.html') } } },
  },
});
