import Router from '@koa/router';
import type { Middleware, Next } from 'koa';
import { z } from 'zod';
import type { Permission } from '../../shared/permissions';
import { invalidRequest } from '../errors';
import { DEFAULT_BODY_LIMIT, readJsonBody } from './body';
import type { AppContext, AppState } from './context';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

/**
 * How a route is reached: `public` (anyone), `user` (Bearer or cookie session, with CSRF on
 * cookie writes, and `permission` when set), `widget` (publishable key + allowed Origin,
 * checked by the route's own middleware).
 */
export type RouteAuth = 'public' | 'user' | 'widget';

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteDef<B extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, P extends Schema | undefined = undefined> {
  method: Method;
  path: string;
  summary: string;
  description?: string;
  tag: string;
  auth: RouteAuth;
  permission?: Permission;
  /** The 401 message for anonymous callers, where a hint helps (e.g. "use POST /api/chat"). */
  unauthenticatedMessage?: string;
  body?: B;
  query?: Q;
  params?: P;
  /**
   * Request bodies a handler reads itself (no `body` declared), by content type, for the OpenAPI
   * document only: e.g. JSON or a multipart/form-data upload on one route.
   */
  accepts?: Record<string, Schema>;
  /** Request body limit in bytes (default 64 KB). */
  bodyLimit?: number;
  /** Success status (default 200; 204 when the handler returns nothing). */
  status?: number;
  /** Success body schema, for JSON routes. */
  response?: Schema;
  /** Content type of a non-JSON success body (e.g. text/event-stream). */
  produces?: string;
  /** A text/event-stream route's events: each `event:` type and the JSON in its `data:` (for OpenAPI). */
  events?: Record<string, Schema>;
  /** Error statuses this route can answer besides the generic ones. */
  errors?: number[];
  /** Runs before input parsing (e.g. the widget key and Origin guard). */
  before?: Middleware<AppState>[];
  handler: (ctx: AppContext, input: { body: Out<B>; query: Out<Q>; params: Out<P> }) => unknown;
}

// The registry stores defs with their generics erased.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRouteDef = RouteDef<any, any, any>;

export type UserGuard = (ctx: AppContext, def: AnyRouteDef) => Promise<void>;

/**
 * The one way to declare an HTTP route: it validates input with zod, applies the auth guard
 * and records the definition, so the OpenAPI document lists exactly the routes that exist.
 */
export class ApiRouter {
  readonly router = new Router<AppState>();
  readonly defs: AnyRouteDef[] = [];

  constructor(private readonly userGuard: UserGuard) {}

  add<B extends Schema | undefined = undefined, Q extends Schema | undefined = undefined, P extends Schema | undefined = undefined>(
    declared: RouteDef<B, Q, P>,
  ): void {
    const def = { ...declared, query: strictQuery(declared) } as RouteDef<B, Q, P>;
    this.defs.push(def as AnyRouteDef);
    const guard = this.userGuard;
    const run = async (ctx: AppContext, _next: Next) => {
      if (def.auth === 'user') await guard(ctx, def as AnyRouteDef);
      const params = parse(def.params, ctx.params, 'params');
      const query = parse(def.query, ctx.query, 'query');
      const body = def.body
        ? parse(def.body, (await readJsonBody(ctx, def.bodyLimit ?? DEFAULT_BODY_LIMIT)) ?? {}, 'body')
        : undefined;
      const result = await def.handler(ctx, { body, query, params } as never);
      // Koa's status is 404 until someone sets it; a handler may set its own (e.g. 503).
      const untouched = ctx.status === 404;
      if (result !== undefined) {
        ctx.body = result;
        if (untouched) ctx.status = def.status ?? 200;
      } else if (untouched && (ctx.body === undefined || ctx.body === null)) {
        ctx.status = 204;
      }
    };
    const chain = [...(def.before ?? []), run] as Middleware<AppState>[];
    this.router.register(def.path, [def.method], chain);
  }

  routes(): Middleware<AppState> {
    return this.router.routes() as Middleware<AppState>;
  }
}

/** `?key=` on widget GETs (EventSource cannot send headers), read by the widget guard. */
const WidgetKeyQuery = z.object({ key: z.string().max(200).optional().describe('the publishable key, where a header cannot be sent') });
/** `?last_event_id=` on event streams, read by `lastEventId` like the header. */
const StreamQuery = z.object({ last_event_id: z.string().regex(/^\d+$/).optional().describe('resume after this event id (like `Last-Event-ID`)') });

/**
 * An API route refuses query parameters it does not declare (400), so a typo is an error, not
 * a silently ignored filter, and the document lists every parameter the server reads. The ones
 * shared middleware reads are added here. Paths outside /api (the widget script, the docs page)
 * take any query: pages add cache busters.
 */
function strictQuery(def: AnyRouteDef): Schema | undefined {
  if (!def.path.startsWith('/api/')) return def.query;
  let q = (def.query as z.ZodObject | undefined) ?? z.object({});
  if (!(q instanceof z.ZodObject)) throw new Error(`${def.method} ${def.path}: a query schema must be a z.object`);
  if (def.method === 'GET' && def.auth === 'widget') q = q.extend(WidgetKeyQuery.shape);
  if (def.method === 'GET' && def.produces === 'text/event-stream') q = q.extend(StreamQuery.shape);
  return q.strict();
}

function parse(schema: Schema | undefined, value: unknown, where: 'body' | 'query' | 'params') {
  if (!schema) return undefined;
  const r = schema.safeParse(value);
  if (!r.success) throw invalidRequest(r.error, where);
  return r.data;
}
