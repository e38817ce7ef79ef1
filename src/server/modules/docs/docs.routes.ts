import { createRequire } from 'node:module';
import path from 'node:path';
import { z } from 'zod';
import { PAGE_CSP } from '../../http/middleware';
import type { ApiRouter } from '../../http/routes';
import { serveStatic } from '../../http/static';
import { APP_VERSION } from '../../version';
import { buildOpenApi } from './openapi';

// Not named `require`: the desktop bundle (electron-vite) declares its own top-level `require`.
const resolveFrom = createRequire(import.meta.url);
/** Swagger UI's files come from the installed package: /docs works offline, no CDN. */
export const SWAGGER_UI_DIR = path.dirname(resolveFrom.resolve('swagger-ui-dist/package.json'));

const DOCS_PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bob API</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css">
</head>
<body>
<div id="docs"></div>
<script src="/docs/assets/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>`;

const DOCS_INIT = `window.ui = SwaggerUIBundle({ url: '/api/openapi.json', dom_id: '#docs', deepLinking: true, tryItOutEnabled: false });`;

export function registerDocsRoutes(api: ApiRouter, publicUrl: () => string) {
  let cached: unknown;
  api.add({
    method: 'GET',
    path: '/api/openapi.json',
    tag: 'Docs',
    summary: 'This OpenAPI 3.1 document, generated from the zod schemas that validate requests',
    auth: 'public',
    response: z.record(z.string(), z.unknown()),
    handler() {
      cached ??= buildOpenApi(api.defs, { serverUrl: publicUrl(), version: APP_VERSION });
      return cached;
    },
  });
  api.add({
    method: 'GET',
    path: '/docs',
    tag: 'Docs',
    summary: 'Interactive API reference (Swagger UI, served locally)',
    auth: 'public',
    produces: 'text/html',
    handler(ctx) {
      ctx.type = 'text/html; charset=utf-8';
      ctx.set('Content-Security-Policy', PAGE_CSP);
      ctx.body = DOCS_PAGE;
    },
  });
  api.add({
    method: 'GET',
    path: '/docs/init.js',
    tag: 'Docs',
    summary: 'Starts Swagger UI on /docs',
    auth: 'public',
    produces: 'application/javascript',
    handler(ctx) {
      ctx.type = 'application/javascript';
      ctx.body = DOCS_INIT;
    },
  });
}

export const docsAssets = () => serveStatic({ prefix: '/docs/assets', root: SWAGGER_UI_DIR });
