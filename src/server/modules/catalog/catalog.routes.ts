import { z } from 'zod';
import { listOf } from '../../../shared/schemas/common';
import {
  CATALOG_CSV_COLUMNS,
  CATALOG_CSV_MAX_BYTES,
  CatalogDraftInput,
  CatalogVersion,
  CatalogVersionParams,
  PublishedCatalog,
} from '../../../shared/schemas/catalog';
import { HttpError } from '../../errors';
import { readRawBody } from '../../http/body';
import { authOf, type AppContext } from '../../http/context';
import type { ApiRouter } from '../../http/routes';
import { findBusiness, tenantOf } from '../tenants/tenant-scope';
import type { TenantsRepo } from '../tenants/tenants.repo';
import { catalogToCsv, parseCatalogCsv } from './catalog.csv';
import type { CatalogService } from './catalog.service';

const Scope = z.object({ business_id: z.string().max(64).optional().describe('platform admins: another tenant (id or slug)') });
const PublicQuery = z.object({ business_id: z.string().min(1).max(64).describe('the business: its id or its slug') });
const CSV = 'text/csv';
const CSV_FORMAT =
  `Columns, in this order, after a header row: \`${CATALOG_CSV_COLUMNS.join(',')}\`. RFC 4180 quoting, UTF-8 with or without BOM, ` +
  '`.` as the decimal separator; an empty price means "price on request"; available is true/false, yes/no, sì/no or 1/0 (empty: true).';

/** Each business's own catalog (issue #16): published publicly, edited as versioned drafts. */
export function registerCatalogRoutes(api: ApiRouter, deps: { catalog: CatalogService; tenants: TenantsRepo }) {
  const { catalog } = deps;
  const actor = async (ctx: AppContext, q: { business_id?: string }) => ({ auth: authOf(ctx), tenantId: (await tenantOf(deps.tenants, authOf(ctx), q.business_id)).id, ip: ctx.ip });
  const common = { tag: 'Catalog', auth: 'user' as const, permission: 'catalog.manage' as const, query: Scope };

  api.add({
    method: 'GET',
    path: '/api/catalog',
    tag: 'Catalog',
    summary: 'A business\'s published catalog (public): version null and no items before its first publish',
    auth: 'public',
    query: PublicQuery,
    response: PublishedCatalog,
    errors: [404],
    async handler(ctx, { query }) {
      const business = await findBusiness(deps.tenants, query.business_id);
      if (!business) throw new HttpError(404, 'unknown_business', `No business "${query.business_id}"`);
      ctx.set('Cache-Control', 'public, max-age=60');
      return catalog.published(business.id);
    },
  });

  api.add({
    ...common,
    method: 'GET',
    path: '/api/catalog/versions',
    summary: 'Every catalog version: the draft, the published one and the archived ones, newest first',
    response: listOf(CatalogVersion),
    handler: async (ctx, { query }) => ({ data: await catalog.list((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id), next_cursor: null }),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/catalog/versions',
    summary: 'Start a draft: a copy of the published catalog, or an empty one in EUR (409 catalog_draft_exists if there is a draft)',
    status: 201,
    response: CatalogVersion,
    errors: [409],
    handler: async (ctx, { query }) => catalog.createDraft(await actor(ctx, query)),
  });

  api.add({
    ...common,
    method: 'GET',
    path: '/api/catalog/versions/:version',
    summary: 'One catalog version',
    params: CatalogVersionParams,
    response: CatalogVersion,
    errors: [404],
    handler: async (ctx, { query, params }) => catalog.get((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.version),
  });

  api.add({
    ...common,
    method: 'PUT',
    path: '/api/catalog/versions/:version',
    summary: 'Edit a draft; new items get an id from their name (published and archived versions: 409 catalog_immutable)',
    params: CatalogVersionParams,
    body: CatalogDraftInput,
    bodyLimit: CATALOG_CSV_MAX_BYTES,
    response: CatalogVersion,
    errors: [404, 409],
    handler: async (ctx, { query, params, body }) => catalog.updateDraft(await actor(ctx, query), params.version, body),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/catalog/versions/:version/publish',
    summary: 'Publish a draft: the previous version is archived, Bob quotes the new catalog at once, and catalog.published is sent',
    description:
      'With the business setting `block_publish_on_failed_tests`, every answer test is run against this draft first (the run is stored, ' +
      'trigger `catalog_publish`); if one fails the answer is 409 `answer_tests_failed` with `error.details` ' +
      '`{run_id, failing: [{test_id, question, why}]}` and nothing is published.',
    params: CatalogVersionParams,
    response: CatalogVersion,
    errors: [404, 409],
    handler: async (ctx, { query, params }) => catalog.publish(await actor(ctx, query), params.version),
  });

  api.add({
    ...common,
    method: 'POST',
    path: '/api/catalog/versions/:version/import',
    summary: 'Replace a draft\'s items with a CSV file (Content-Type: text/csv, at most 1 MB); any bad row: 400 invalid_csv and nothing changes',
    description:
      `${CSV_FORMAT} A row with the name and category of an item already in the draft keeps that item's id and options. ` +
      'A refused file answers 400 `invalid_csv` with `error.details` listing `{line, column, message}` for each problem.',
    params: CatalogVersionParams,
    response: CatalogVersion,
    errors: [404, 409, 413, 415],
    async handler(ctx, { query, params }) {
      const a = await actor(ctx, query);
      const rows = parseCatalogCsv(await readRawBody(ctx, CSV, CATALOG_CSV_MAX_BYTES));
      return catalog.importDraft(a, params.version, rows);
    },
  });

  api.add({
    ...common,
    method: 'GET',
    path: '/api/catalog/versions/:version/export',
    summary: 'A version\'s items as CSV, the format import takes (options are not included)',
    description: CSV_FORMAT,
    params: CatalogVersionParams,
    produces: CSV,
    errors: [404],
    async handler(ctx, { query, params }) {
      const v = await catalog.get((await tenantOf(deps.tenants, authOf(ctx), query.business_id)).id, params.version);
      ctx.set('Content-Disposition', `attachment; filename="catalog-v${v.version}.csv"`);
      ctx.type = `${CSV}; charset=utf-8`;
      return catalogToCsv(v.items);
    },
  });
}
