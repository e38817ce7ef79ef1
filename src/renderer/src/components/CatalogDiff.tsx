import type { CatalogItem } from '../../../shared/schemas/catalog';
import { formatPrice } from '../format';
import { useI18n } from '../i18n';

/** An item as the diff sees it: a new draft item has no id yet. */
export type DiffItem = Omit<CatalogItem, 'id'> & { id?: string };
type Side = { currency: string; items: DiffItem[] };
const COMPARED = ['name', 'category', 'description', 'unit', 'options', 'available'] as const;

export type CatalogChanges = {
  added: DiffItem[];
  removed: DiffItem[];
  changed: { before: DiffItem; after: DiffItem; price: boolean; fields: (typeof COMPARED)[number][] }[];
  currency: { from: string; to: string } | null;
};

/** What publishing the draft changes: items matched by their stable id. */
export function diffCatalog(published: Side, draft: Side): CatalogChanges {
  const before = new Map(published.items.flatMap((i) => (i.id ? [[i.id, i] as const] : [])));
  const kept = new Set<string>();
  const changes: CatalogChanges = { added: [], removed: [], changed: [], currency: published.currency === draft.currency ? null : { from: published.currency, to: draft.currency } };
  for (const item of draft.items) {
    const old = item.id ? before.get(item.id) : undefined;
    if (!old) {
      changes.added.push(item);
      continue;
    }
    kept.add(old.id!);
    const fields = COMPARED.filter((f) => JSON.stringify(old[f]) !== JSON.stringify(item[f]));
    const price = old.price !== item.price;
    if (price || fields.length) changes.changed.push({ before: old, after: item, price, fields });
  }
  changes.removed = published.items.filter((i) => !kept.has(i.id!));
  return changes;
}

export const hasChanges = (c: CatalogChanges) => !!(c.added.length || c.removed.length || c.changed.length || c.currency);

/** Added / removed / changed items, with old → new prices ("Margherita €8.00 → €8.50"). */
/** `level`: the heading level of the groups, one below the heading the diff sits under. */
export function CatalogDiff({ changes, published, draft, level = 4 }: { changes: CatalogChanges; published: Side; draft: Side; level?: 3 | 4 }) {
  const H = `h${level}` as const;
  const { t, lang } = useI18n();
  const price = (p: number | null, currency: string) => (p === null ? t.catalog.onRequest : formatPrice(p, currency, lang));
  if (!hasChanges(changes)) return <p className="muted">{t.catalog.noChanges}</p>;
  const group = (title: string, kind: string, rows: React.ReactNode[]) =>
    rows.length > 0 && (
      <div className={`diff-group ${kind}`}>
        <H>{title} ({rows.length})</H>
        <ul className="plain">{rows}</ul>
      </div>
    );
  return (
    <div className="catalog-diff">
      {changes.currency && <p><strong>{t.catalog.currencyChange(changes.currency.from, changes.currency.to)}</strong></p>}
      {group(t.catalog.added, 'added', changes.added.map((i, n) => <li key={i.id ?? `new-${n}`}><span aria-hidden="true">+ </span>{i.name} <span className="muted">{price(i.price, draft.currency)}</span></li>))}
      {group(t.catalog.removed, 'removed', changes.removed.map((i) => <li key={i.id}><span aria-hidden="true">− </span>{i.name} <span className="muted">{price(i.price, published.currency)}</span></li>))}
      {group(t.catalog.changed, 'changed', changes.changed.map(({ before, after, price: priced, fields }) => (
        <li key={after.id}>
          <span aria-hidden="true">~ </span>{after.name}{' '}
          {priced && <span className="price-change">{price(before.price, published.currency)} → {price(after.price, draft.currency)}</span>}
          {fields.length > 0 && <span className="muted small"> ({fields.map((f) => t.catalog.fields[f]).join(', ')})</span>}
        </li>
      )))}
    </div>
  );
}
