import type { z } from 'zod';
import {
  CATALOG_DEFAULT_CURRENCY,
  type CatalogDraftInput,
  type CatalogItem,
  type CatalogItemInput,
  type CatalogVersion,
  type PublishedCatalog,
} from '../../../shared/schemas/catalog';
import type { Clock } from '../../clock';
import { conflict, notFound } from '../../errors';
import type { AuthContext } from '../../http/context';
import type { Audit } from '../audit/audit.repo';
import type { UnitOfWork } from '../../storage/unit-of-work';
import type { CsvRow } from './catalog.csv';
import type { CatalogRepo } from './catalog.repo';

export type CatalogService = ReturnType<typeof createCatalogService>;
type ItemInput = z.output<typeof CatalogItemInput>;
type DraftInput = z.output<typeof CatalogDraftInput>;

/** Who acts, on which business, from where: every write is audited in that business's log. */
export interface CatalogActor {
  auth: AuthContext;
  tenantId: string;
  ip: string;
}

/**
 * Checks a version about to be published (a business's answer tests) and throws to refuse it;
 * it may take a while (a model answers), so it runs before the publish transaction.
 */
export type CatalogPublishGate = (a: CatalogActor, candidate: CatalogVersion) => Promise<void>;

const ID_MAX = 64;

/** A readable id from a name ("Caffè & brioche" → "caffe-brioche"), unique among `taken` with -2, -3… */
export function itemIdFor(name: string, taken: Set<string>): string {
  const base =
    name
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, ID_MAX - 4)
      .replace(/-+$/, '') || 'item';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** Items with ids: the given ones are kept, new items get one from their name. */
function withIds(items: (ItemInput & { id?: string })[]): CatalogItem[] {
  const taken = new Set(items.flatMap((i) => (i.id ? [i.id] : [])));
  return items.map((i) => ({ ...i, id: i.id ?? itemIdFor(i.name, taken) }));
}

const matchKey = (i: { name: string; category: string | null }) => `${(i.category ?? '').toLowerCase()}\u0000${i.name.toLowerCase()}`;

/**
 * Each business's catalog, versioned like the pricebook: at most one draft is edited, at most
 * one version is published (what GET /api/catalog and the responder read), and published and
 * archived versions never change.
 */
export function createCatalogService(deps: {
  /** Reads outside a unit of work. */
  repo: CatalogRepo;
  /** Writes: each with its audit record (and event) in one transaction. */
  uow: UnitOfWork<{ catalog: CatalogRepo }>;
  clock: Clock;
  publishGate?: CatalogPublishGate;
}) {
  const { repo, uow, clock } = deps;

  const find = async (tenantId: string, version: number, r: CatalogRepo = repo) => {
    const v = await r.get(tenantId, version);
    if (!v) throw notFound('Catalog version');
    return v;
  };
  const assertDraft = (v: CatalogVersion) => {
    if (v.status !== 'draft') throw conflict('catalog_immutable', `Version ${v.version} is ${v.status} and cannot change: create a new draft`, { version: v.version, status: v.status });
  };
  const record = (audit: Audit, a: CatalogActor, action: string, version: number, before: unknown, after: unknown) =>
    audit({ tenantId: a.tenantId, actorId: a.auth.userId, actorEmail: a.auth.email, action, targetType: 'catalog', targetId: String(version), before, after, ip: a.ip });

  /** Replaces a draft's editable part, in the caller's unit of work. */
  const saveDraft = async ({ catalog: r, audit }: { catalog: CatalogRepo; audit: Audit }, a: CatalogActor, before: CatalogVersion, after: CatalogVersion, action: string) => {
    await r.updateDraft(a.tenantId, after);
    record(audit, a, action, after.version, before, after);
    return after;
  };

  return {
    async published(tenantId: string): Promise<PublishedCatalog> {
      const p = await repo.published(tenantId);
      return p
        ? { business_id: tenantId, version: p.version, currency: p.currency, published_at: p.published_at, items: p.items }
        : { business_id: tenantId, version: null, currency: CATALOG_DEFAULT_CURRENCY, published_at: null, items: [] };
    },
    list: (tenantId: string) => repo.list(tenantId),
    get: (tenantId: string, version: number) => find(tenantId, version),

    /** A new draft: a copy of the published version, or an empty catalog in the default currency. */
    createDraft(a: CatalogActor): Promise<CatalogVersion> {
      return uow.run(async ({ catalog, audit }) => {
        const existing = await catalog.draft(a.tenantId);
        if (existing) {
          throw conflict('catalog_draft_exists', `Version ${existing.version} is already a draft: edit or publish it`, { version: existing.version });
        }
        const base = await catalog.published(a.tenantId);
        const draft: CatalogVersion = {
          version: await catalog.nextVersion(a.tenantId),
          status: 'draft',
          currency: base?.currency ?? CATALOG_DEFAULT_CURRENCY,
          items: base ? structuredClone(base.items) : [],
          created_at: clock.now().toISOString(),
          published_at: null,
        };
        await catalog.insert(a.tenantId, draft, a.auth.userId);
        record(audit, a, 'catalog.draft_created', draft.version, null, draft);
        return draft;
      });
    },

    updateDraft(a: CatalogActor, version: number, input: DraftInput): Promise<CatalogVersion> {
      return uow.run(async ({ catalog, audit }) => {
        const before = await find(a.tenantId, version, catalog);
        assertDraft(before);
        const after: CatalogVersion = {
          ...before,
          currency: input.currency ?? before.currency,
          items: input.items ? withIds(input.items) : before.items,
        };
        return saveDraft({ catalog, audit }, a, before, after, 'catalog.draft_updated');
      });
    },

    /**
     * Replaces a draft's items with imported rows. A row naming an item already in the draft
     * (same name and category, any case) keeps that item's id and options, which CSV cannot carry.
     */
    importDraft(a: CatalogActor, version: number, rows: CsvRow[]): Promise<CatalogVersion> {
      return uow.run(async ({ catalog, audit }) => {
        const before = await find(a.tenantId, version, catalog);
        assertDraft(before);
        const existing = new Map<string, CatalogItem>();
        for (const i of before.items) if (!existing.has(matchKey(i))) existing.set(matchKey(i), i);
        const matched = rows.map(({ item }) => {
          const same = existing.get(matchKey(item));
          if (!same) return item;
          existing.delete(matchKey(item));
          return { ...item, id: same.id, options: same.options };
        });
        const after: CatalogVersion = { ...before, items: withIds(matched) };
        return saveDraft({ catalog, audit }, a, before, after, 'catalog.imported');
      });
    },

    /** Publishes a draft, once the publish gate (if any) has passed that very draft. */
    async publish(a: CatalogActor, version: number): Promise<CatalogVersion> {
      const checked = await find(a.tenantId, version);
      assertDraft(checked);
      await deps.publishGate?.(a, checked);
      return uow.run(async ({ catalog, emit, audit }) => {
        const draft = await find(a.tenantId, version, catalog);
        assertDraft(draft);
        if (deps.publishGate && (draft.currency !== checked.currency || JSON.stringify(draft.items) !== JSON.stringify(checked.items))) {
          throw conflict('catalog_draft_changed', `Version ${version} was edited while its answer tests ran: publish it again`, { version });
        }
        const previous = await catalog.published(a.tenantId);
        await catalog.publish(a.tenantId, version, clock.now().toISOString());
        const published = await find(a.tenantId, version, catalog);
        record(audit, a, 'catalog.published', version, previous ?? null, published);
        emit(a.tenantId, 'catalog.published', { version, previous_version: previous?.version ?? null, catalog: published });
        return published;
      });
    },
  };
}
