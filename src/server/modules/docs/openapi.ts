import { z } from 'zod';
import { ErrorBody } from '../../../shared/schemas/common';
import type { AnyRouteDef } from '../../http/routes';

type JsonSchema = Record<string, unknown>;

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid request (zod issues in error.details), an undeclared query parameter, or malformed JSON',
  401: 'Not authenticated',
  403: 'Authenticated but not allowed (permission, CSRF or origin)',
  404: 'Not found, or belongs to another tenant',
  409: 'Conflict with the current state',
  412: 'If-Match does not match the current ETag',
  413: 'Request body too large',
  415: 'Body is not JSON',
  429: 'Rate limited; see Retry-After',
};

/** Collects component schemas while converting, so shared types appear once under components. */
class Components {
  readonly schemas: Record<string, JsonSchema> = {};

  convert(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
    const { $schema: _s, $defs, ...root } = z.toJSONSchema(schema, {
      target: 'draft-2020-12',
      io,
      unrepresentable: 'any',
    }) as JsonSchema & { $defs?: Record<string, JsonSchema> };
    const names: Record<string, string> = {};
    const relink = (v: unknown): JsonSchema =>
      JSON.parse(JSON.stringify(v).replace(/"#\/\$defs\/([^"]+)"/g, (_m, id: string) => `"#/components/schemas/${names[id] ?? id}"`));
    // Stored schemas point at components: compare a def the same way, or one that refers to another looks different.
    for (const [id, def] of Object.entries($defs ?? {})) {
      const existing = this.schemas[id];
      names[id] = !existing || same(existing, relink(def)) ? id : `${id}${io === 'input' ? 'Input' : 'Output'}`;
    }
    for (const [id, def] of Object.entries($defs ?? {})) this.schemas[names[id]!] = relink(def);
    return relink(root);
  }
}

const EVENT_STREAM = 'text/event-stream';
/** The framing every stream uses (realtime/sse.ts); each route's description names its event types. */
const eventStream = {
  type: 'string',
  description:
    'Server-Sent Events: blocks of `id: <number>`, `event: <type>` and `data: <one line of JSON>`, separated by a blank line; ' +
    'lines starting with `:` are heartbeats. Resume with `Last-Event-ID` (or `?last_event_id=` where offered).',
};

/** The framing, plus each event type's `data` as `x-events` (OpenAPI has no SSE vocabulary). */
const streamOf = (c: Components, def: AnyRouteDef) => ({
  ...eventStream,
  ...(def.events ? { 'x-events': Object.fromEntries(Object.entries(def.events).map(([type, schema]) => [type, c.convert(schema, 'output')])) } : {}),
});

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function parameters(c: Components, schema: z.ZodType | undefined, where: 'path' | 'query', path: string) {
  const declared = schema ? (c.convert(schema, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] }) : {};
  const props = { ...(declared.properties ?? {}) };
  if (where === 'path') for (const m of path.matchAll(/:(\w+)/g)) props[m[1]!] ??= { type: 'string' };
  return Object.entries(props).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (declared.required ?? []).includes(name),
    schema: s,
  }));
}

export function buildOpenApi(defs: AnyRouteDef[], opts: { serverUrl: string; version: string }) {
  const c = new Components();
  const errorRef = { $ref: '#/components/schemas/Error' };
  c.convert(ErrorBody, 'output');
  const paths: Record<string, Record<string, unknown>> = {};

  for (const def of defs) {
    const oaPath = def.path.replace(/:(\w+)/g, '{$1}');
    const status = def.status ?? (def.response || def.produces ? 200 : 204);
    const responses: Record<string, unknown> = {
      [status]: {
        description: def.summary,
        // A route may answer JSON and, when asked (e.g. "stream": true), another type as well.
        content: {
          ...(def.response ? { 'application/json': { schema: c.convert(def.response, 'output') } } : {}),
          ...(def.produces ? { [def.produces]: { schema: def.produces === EVENT_STREAM ? streamOf(c, def) : { type: 'string' } } } : {}),
        },
      },
    };
    const params = [...parameters(c, def.params, 'path', def.path), ...parameters(c, def.query, 'query', def.path)];
    const errors = new Set<number>(def.errors ?? []);
    // Another tenant's id, or one that does not exist, is answered 404 (tenant-scope.ts).
    if (params.some((p) => p.in === 'query' && p.name === 'business_id')) errors.add(404);
    if (def.body || def.query || def.params) errors.add(400);
    if (def.body || def.accepts) [413, 415].forEach((s) => errors.add(s));
    if (def.auth === 'user') [401, 403].forEach((s) => errors.add(s));
    for (const s of [...errors].sort()) {
      responses[s] = { description: ERROR_TEXT[s] ?? 'Error', content: { 'application/json': { schema: errorRef } } };
    }
    paths[oaPath] ??= {};
    paths[oaPath][def.method.toLowerCase()] = {
      operationId: `${def.method.toLowerCase()}${def.path.replace(/[^A-Za-z0-9]+(\w)?/g, (_m, ch?: string) => (ch ?? '').toUpperCase())}`,
      tags: [def.tag],
      summary: def.summary,
      ...(def.description ? { description: def.description } : {}),
      ...(params.length ? { parameters: params } : {}),
      ...(def.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: c.convert(def.body, 'input') } } } }
        : def.accepts
          ? { requestBody: { required: true, content: Object.fromEntries(Object.entries(def.accepts).map(([type, schema]) => [type, { schema: c.convert(schema, 'input') }])) } }
          : {}),
      responses,
      security:
        def.auth === 'user'
          ? [{ bearerAuth: [] }, { cookieAuth: [], csrfToken: [] }]
          : def.auth === 'widget'
            ? [{ widgetKey: [] }]
            : [],
      ...(def.permission ? { 'x-permission': def.permission } : {}),
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Bob API',
      version: opts.version,
      description:
        'Bob, the governed AI front office. Three chat paths: anonymous same-origin (`POST /api/chat`), ' +
        'cross-origin embed (`POST /api/widget/chat`, `X-Widget-Key` + allowed Origin), and authenticated ' +
        'Mission Control (`/api/chat/session`, `/api/chat/message`). Errors: `{"error": {"code", "message", "details"}}`.',
    },
    servers: [{ url: opts.serverUrl }],
    paths,
    components: {
      schemas: c.schemas,
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', description: 'Token from POST /api/auth/login' },
        cookieAuth: { type: 'apiKey', in: 'cookie', name: 'bob_session' },
        csrfToken: { type: 'apiKey', in: 'header', name: 'X-CSRF-Token', description: 'Required with the cookie on POST/PUT/PATCH/DELETE' },
        widgetKey: { type: 'apiKey', in: 'header', name: 'X-Widget-Key', description: 'Publishable pk_live_/pk_test_ key; the Origin must be on its allowlist' },
      },
    },
  };
}
