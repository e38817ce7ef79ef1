import { z } from 'zod';
import { isoDateTime, uuid } from './common';
import { PricebookStatus } from './pricebook';

/** An amount a business publishes: 0 or more, at most two decimals (cents). */
export const amount = z
  .number()
  .nonnegative()
  .max(10_000_000)
  .refine((n) => Math.round(n * 100) === Number((n * 100).toFixed(6)), 'use at most two decimals');

// The ISO 4217 codes the runtime knows (Intl formats any three letters, "XYZ" included).
let currencies: Set<string> | undefined;
export const currencyCode = z
  .string()
  .regex(/^[A-Z]{3}$/, 'use an ISO 4217 code like EUR')
  .refine((c) => (currencies ??= new Set(Intl.supportedValuesOf('currency'))).has(c), 'not a currency Bob knows (use an ISO 4217 code like EUR)');

export const CatalogOption = z
  .object({ name: z.string().trim().min(1).max(80), price: amount.describe('the price with this option (a size, an add-on), in the catalog currency') })
  .meta({ id: 'CatalogOption' });
export type CatalogOption = z.infer<typeof CatalogOption>;

/** Stable across versions, so receipts can name an item: given by the server when a new item has none. */
export const catalogItemId = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'use lowercase letters, digits, _ and -');

export const CatalogItem = z
  .object({
    id: catalogItemId,
    name: z.string().trim().min(1).max(120),
    category: z.string().trim().min(1).max(60).nullable(),
    description: z.string().trim().max(1000).nullable(),
    unit: z.string().trim().min(1).max(40).nullable().describe('free text such as "each", "per hour", "per person"'),
    price: amount.nullable().describe('null: price on request'),
    options: z.array(CatalogOption).max(30),
    available: z.boolean(),
  })
  .meta({ id: 'CatalogItem' });
export type CatalogItem = z.infer<typeof CatalogItem>;

/** An item as sent in a draft: the id is optional (new items get one) and the rest has defaults. */
export const CatalogItemInput = z
  .object({
    id: catalogItemId.optional(),
    name: z.string().trim().min(1).max(120),
    category: z.string().trim().max(60).nullable().default(null).transform((v) => v || null),
    description: z.string().trim().max(1000).nullable().default(null).transform((v) => v || null),
    unit: z.string().trim().max(40).nullable().default(null).transform((v) => v || null),
    price: amount.nullable(),
    options: z.array(CatalogOption).max(30).default([]),
    available: z.boolean().default(true),
  })
  .meta({ id: 'CatalogItemInput' });
export type CatalogItemInput = z.input<typeof CatalogItemInput>;

export const CATALOG_MAX_ITEMS = 1000;
/** The currency of a first draft, and of GET /api/catalog before a business publishes. */
export const CATALOG_DEFAULT_CURRENCY = 'EUR';

export const CatalogVersion = z
  .object({
    version: z.number().int().positive(),
    status: PricebookStatus,
    currency: z.string(),
    items: z.array(CatalogItem),
    created_at: isoDateTime,
    published_at: isoDateTime.nullable(),
  })
  .meta({ id: 'CatalogVersion' });
export type CatalogVersion = z.infer<typeof CatalogVersion>;

/** GET /api/catalog: what a business has published (version null and no items before its first publish). */
export const PublishedCatalog = z
  .object({
    business_id: uuid,
    version: z.number().int().positive().nullable(),
    currency: z.string(),
    published_at: isoDateTime.nullable(),
    items: z.array(CatalogItem),
  })
  .meta({ id: 'PublishedCatalog' });
export type PublishedCatalog = z.infer<typeof PublishedCatalog>;

export const CatalogDraftInput = z
  .object({
    currency: currencyCode.optional(),
    items: z
      .array(CatalogItemInput)
      .max(CATALOG_MAX_ITEMS)
      .refine((items) => {
        const ids = items.flatMap((i) => (i.id ? [i.id] : []));
        return new Set(ids).size === ids.length;
      }, 'item ids must be unique')
      .optional(),
  })
  .strict()
  .meta({ id: 'CatalogDraftInput' });

export const CatalogVersionParams = z.object({ version: z.coerce.number().int().positive() });

/** The CSV columns of import and export, in order (a header row, RFC 4180, UTF-8, "." decimals). */
export const CATALOG_CSV_COLUMNS = ['category', 'name', 'description', 'unit', 'price', 'available'] as const;
export type CatalogCsvColumn = (typeof CATALOG_CSV_COLUMNS)[number];
/** The largest CSV import, in bytes. */
export const CATALOG_CSV_MAX_BYTES = 1024 * 1024;

/** One problem of a refused CSV import (400 invalid_csv lists them in error.details). */
export const CatalogCsvProblem = z
  .object({
    line: z.number().int().positive().describe('1 is the header row; a quoted field spanning lines counts from where its row starts'),
    column: z.string().nullable().describe('one of the CSV columns, or null when the problem is the whole row'),
    message: z.string(),
  })
  .meta({ id: 'CatalogCsvProblem' });
export type CatalogCsvProblem = z.infer<typeof CatalogCsvProblem>;
