import { useEffect, useId, useMemo, useRef, useState, type DragEvent } from 'react';
import type { CatalogItem } from '../../../shared/schemas/catalog';
import { catalogExportUrl, useCatalogAction, useCatalogVersions, usePublishedCatalog, type CatalogItemInput, type CatalogVersion, type PublishedCatalog } from '../api/catalog';
import { useTenant } from '../api/governance';
import { CatalogDiff, diffCatalog, hasChanges, type DiffItem } from '../components/CatalogDiff';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { DraftTestsPanel } from '../components/DraftTestsPanel';
import { ErrorText } from '../components/ErrorText';
import { useI18n } from '../i18n';
import { formatDateTime, formatPrice } from '../format';

const CURRENCIES = ['EUR', 'USD', 'GBP', 'CHF'];

/** An item while it is edited: prices as typed ('' = on request), a local key for new items. */
type ItemForm = { key: string; id?: string; name: string; category: string; description: string; unit: string; price: string; options: { name: string; price: string }[]; available: boolean };
let nextKey = 0;
const formOf = (i: CatalogItem): ItemForm => ({
  key: i.id, id: i.id, name: i.name, category: i.category ?? '', description: i.description ?? '', unit: i.unit ?? '',
  price: i.price === null ? '' : String(i.price), options: i.options.map((o) => ({ name: o.name, price: String(o.price) })), available: i.available,
});
const emptyItem = (): ItemForm => ({ key: `new-${++nextKey}`, name: '', category: '', description: '', unit: '', price: '', options: [], available: true });
const toInput = (f: ItemForm): CatalogItemInput & DiffItem => ({
  ...(f.id ? { id: f.id } : {}),
  name: f.name.trim(), category: f.category.trim() || null, description: f.description.trim() || null, unit: f.unit.trim() || null,
  price: f.price.trim() === '' ? null : Number(f.price), options: f.options.map((o) => ({ name: o.name.trim(), price: Number(o.price) })), available: f.available,
});

/** The published items by category, in the order they first appear. */
function byCategory<T extends { category: string | null }>(items: T[]): [string | null, T[]][] {
  const groups = new Map<string | null, T[]>();
  for (const i of items) groups.set(i.category, [...(groups.get(i.category) ?? []), i]);
  return [...groups];
}

function PublishedView({ catalog }: { catalog: PublishedCatalog }) {
  const { t, lang } = useI18n();
  const price = (p: number | null) => (p === null ? t.catalog.onRequest : formatPrice(p, catalog.currency, lang));
  if (catalog.version === null) return <p className="muted">{t.catalog.nothingPublished}</p>;
  return (
    <div className="catalog-view stack">
      {byCategory(catalog.items).map(([category, items]) => (
        <section key={category ?? ''} aria-label={category ?? t.catalog.noCategory}>
          <h3>{category ?? t.catalog.noCategory}</h3>
          <ul className="plain catalog-items">
            {items.map((i) => (
              <li key={i.id} className={i.available ? 'catalog-item' : 'catalog-item off'}>
                <div className="item-head">
                  <span className="item-name"><strong>{i.name}</strong>{!i.available && <span className="pill">{t.catalog.unavailable}</span>}</span>
                  <span className="item-price">{price(i.price)}{i.unit && <span className="muted small"> · {i.unit}</span>}</span>
                </div>
                {i.description && <p className="muted small">{i.description}</p>}
                {i.options.length > 0 && (
                  <p className="small options"><span className="muted">{t.catalog.options}:</span> {i.options.map((o) => `${o.name} ${price(o.price)}`).join(' · ')}</p>
                )}
              </li>
            ))}
          </ul>
        </section>
      ))}
    </div>
  );
}

/** One item's fields; changes go straight into the draft being edited. */
function ItemEditor({ item, categories, currency, onChange, onDone }: { item: ItemForm; categories: string[]; currency: string; onChange: (f: ItemForm) => void; onDone: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const first = useRef<HTMLInputElement>(null);
  useEffect(() => first.current?.focus(), []);
  const set = <K extends keyof ItemForm>(k: K, v: ItemForm[K]) => onChange({ ...item, [k]: v });
  const setOption = (i: number, patch: Partial<ItemForm['options'][number]>) => set('options', item.options.map((o, j) => (j === i ? { ...o, ...patch } : o)));
  return (
    <fieldset className="item-editor form stack" onKeyDown={(e) => { if (e.key === 'Escape') { e.stopPropagation(); onDone(); } }}>
      <legend>{item.name || t.catalog.untitled}</legend>
      <div className="row-fields two">
        <label>{t.catalog.name}<input ref={first} required maxLength={120} value={item.name} onChange={(e) => set('name', e.target.value)} /></label>
        <label>{t.catalog.category}<input list={`${id}-cats`} maxLength={60} value={item.category} onChange={(e) => set('category', e.target.value)} /></label>
      </div>
      <datalist id={`${id}-cats`}>{categories.map((c) => <option key={c} value={c} />)}</datalist>
      <label>{t.catalog.description}<textarea rows={2} maxLength={1000} value={item.description} onChange={(e) => set('description', e.target.value)} /></label>
      <div className="row-fields two">
        <label>{t.catalog.unit}<input maxLength={40} value={item.unit} placeholder={t.catalog.unitHint} onChange={(e) => set('unit', e.target.value)} /></label>
        <label>{`${t.catalog.price} (${currency})`}
          <input type="number" min={0} step="0.01" inputMode="decimal" value={item.price} aria-describedby={`${id}-price-help`} onChange={(e) => set('price', e.target.value)} />
          <span id={`${id}-price-help`} className="muted small">{t.catalog.priceHint}</span>
        </label>
      </div>
      <fieldset className="plain-fieldset">
        <legend>{t.catalog.options}</legend>
        <ul className="plain options-edit">
          {item.options.map((o, i) => (
            <li key={i} className="option-row">
              <label>{t.catalog.option}<input required maxLength={80} value={o.name} onChange={(e) => setOption(i, { name: e.target.value })} /></label>
              <label>{t.catalog.optionPrice}<input type="number" required min={0} step="0.01" inputMode="decimal" value={o.price} onChange={(e) => setOption(i, { price: e.target.value })} /></label>
              <button type="button" className="danger" aria-label={t.catalog.removeOption(o.name || String(i + 1))} onClick={() => set('options', item.options.filter((_, j) => j !== i))}>×</button>
            </li>
          ))}
        </ul>
        {item.options.length < 30 && <button type="button" onClick={() => set('options', [...item.options, { name: '', price: '' }])}>+ {t.catalog.addOption}</button>}
      </fieldset>
      <label className="check-row"><input type="checkbox" checked={item.available} onChange={(e) => set('available', e.target.checked)} /> {t.catalog.available}</label>
      <div className="toolbar"><button type="button" onClick={onDone}>{t.catalog.done}</button></div>
    </fieldset>
  );
}

/** A CSV file chosen or dropped here replaces the draft's items (the server parses it and names a bad line and column). */
function CsvImport({ onFile, busy }: { onFile: (csv: string) => void; busy: boolean }) {
  const { t } = useI18n();
  const id = useId();
  const [over, setOver] = useState(false);
  const read = async (file: File | undefined) => file && onFile(await file.text());
  const drop = (e: DragEvent) => {
    e.preventDefault();
    setOver(false);
    void read(e.dataTransfer.files[0]);
  };
  return (
    <div className={`drop-zone${over ? ' over' : ''}`} data-testid="csv-drop" onDragOver={(e) => { e.preventDefault(); setOver(true); }} onDragLeave={() => setOver(false)} onDrop={drop}>
      <label htmlFor={`${id}-file`} className="button">{busy && <span className="spinner" aria-hidden="true" />}{t.catalog.chooseFile}</label>
      <input id={`${id}-file`} className="sr-only" type="file" accept=".csv,text/csv" disabled={busy} aria-describedby={`${id}-help`}
        onChange={(e) => { void read(e.target.files?.[0]); e.target.value = ''; }} />
      <span className="muted small">{t.catalog.drop}</span>
      <p id={`${id}-help`} className="muted small">{t.catalog.importHelp}</p>
    </div>
  );
}

/** The in-app confirmation: a modal <dialog> (focus kept inside, Escape cancels) showing what publishing changes. */
function DraftEditor({ draft, published, setStatus }: { draft: CatalogVersion; published: PublishedCatalog; setStatus: (s: string) => void }) {
  const { t, lang } = useI18n();
  const act = useCatalogAction();
  const [items, setItems] = useState<ItemForm[]>(() => draft.items.map(formOf));
  const [currency, setCurrency] = useState(draft.currency);
  const [editing, setEditing] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const load = (v: CatalogVersion) => {
    setItems(v.items.map(formOf));
    setCurrency(v.currency);
    setEditing(null);
  };
  const inputs = items.map(toInput);
  const categories = useMemo(() => [...new Set([...published.items, ...inputs].flatMap((i) => (i.category ? [i.category] : [])))].sort(), [items, published]); // inputs is derived from items, a new array every render
  const sides = { published: { currency: published.currency, items: published.items }, draft: { currency, items: inputs } };
  const changes = diffCatalog(sides.published, sides.draft);
  const price = (f: ItemForm) => (f.price.trim() === '' ? t.catalog.onRequest : formatPrice(Number(f.price), currency, lang));

  const saveDraft = async () => {
    setStatus('');
    const saved = await act.mutateAsync({ kind: 'save', version: draft.version, currency, items: inputs });
    load(saved);
    setStatus(t.catalog.draftSaved);
  };
  const importCsv = async (csv: string) => {
    setStatus('');
    try {
      // Saved first: rows matching an item already in the draft (name and category) keep its id and options.
      await act.mutateAsync({ kind: 'save', version: draft.version, currency, items: inputs });
      const next = await act.mutateAsync({ kind: 'import', version: draft.version, csv });
      load(next);
      setStatus(t.catalog.imported(next.items.length));
    } catch {
      // shown by ErrorText
    }
  };
  const publish = async () => {
    try {
      await act.mutateAsync({ kind: 'save', version: draft.version, currency, items: inputs });
      await act.mutateAsync({ kind: 'publish', version: draft.version });
      setConfirming(false);
      setStatus(t.catalog.publishedNow(draft.version));
    } catch {
      // the dialog stays open and shows why
    }
  };
  const addItem = () => {
    const item = emptyItem();
    setItems([...items, item]);
    setEditing(item.key);
  };

  return (
    <form className="stack" aria-label={t.catalog.draft(draft.version)} onSubmit={(e) => { e.preventDefault(); void saveDraft().catch(() => {}); }}>
      <div className="draft-head">
        <h2>{t.catalog.draft(draft.version)}</h2>
        <label className="inline-field">{t.catalog.currency}
          <select value={currency} onChange={(e) => setCurrency(e.target.value)}>
            {[...new Set([...CURRENCIES, currency])].map((c) => <option key={c} value={c}>{c}</option>)}
          </select>
        </label>
      </div>
      <h3>{t.catalog.items} ({items.length})</h3>
      {items.length === 0 && <p className="muted">{t.catalog.empty}</p>}
      <ul className="plain draft-items">
        {items.map((f) => (
          <li key={f.key}>
            {editing === f.key ? (
              <ItemEditor item={f} categories={categories} currency={currency} onChange={(next) => setItems(items.map((i) => (i.key === f.key ? next : i)))}
                onDone={() => { setEditing(null); requestAnimationFrame(() => document.getElementById(`edit-${f.key}`)?.focus()); }} />
            ) : (
              <div className={`draft-row${f.available ? '' : ' off'}`}>
                <span className="draft-name"><strong>{f.name || t.catalog.untitled}</strong>{f.category && <span className="muted small"> · {f.category}</span>}
                  {!f.available && <span className="pill">{t.catalog.unavailable}</span>}</span>
                <span className="item-price">{price(f)}</span>
                <span className="actions">
                  <button type="button" id={`edit-${f.key}`} aria-label={t.catalog.editItem(f.name || t.catalog.untitled)} onClick={() => setEditing(f.key)}>{t.catalog.edit}</button>
                  <button type="button" className="danger" aria-label={t.catalog.removeItem(f.name || t.catalog.untitled)} onClick={() => setItems(items.filter((i) => i.key !== f.key))}>{t.catalog.remove}</button>
                </span>
              </div>
            )}
          </li>
        ))}
      </ul>
      <div className="toolbar">
        <button type="button" onClick={addItem}>+ {t.catalog.addItem}</button>
      </div>

      <section className="stack" aria-label={t.catalog.csv}>
        <h3>{t.catalog.csv}</h3>
        <CsvImport onFile={(csv) => void importCsv(csv)} busy={act.isPending} />
        <div><a className="button" href={catalogExportUrl(draft.version)} download={`catalog-v${draft.version}.csv`}>{t.catalog.export}</a></div>
      </section>

      <section className="stack" aria-label={t.catalog.changes}>
        <h3>{t.catalog.changes}</h3>
        <CatalogDiff changes={changes} {...sides} />
      </section>

      <DraftTestsPanel prepare={saveDraft} catalogVersion={draft.version} />

      <ErrorText error={act.error} />
      <div className="toolbar">
        <button type="submit" disabled={act.isPending}>{act.isPending ? t.saving : t.save}</button>
        <button type="button" className="primary" disabled={act.isPending || !hasChanges(changes) && published.version !== null} onClick={() => { act.reset(); setConfirming(true); }}>{t.catalog.publish}</button>
      </div>
      {confirming && (
        <ConfirmDialog title={t.catalog.confirmTitle(draft.version)} body={t.catalog.confirmBody} confirm={t.catalog.confirm} busy={act.isPending} onClose={() => setConfirming(false)} onConfirm={() => void publish()}>
          <CatalogDiff changes={changes} {...sides} level={3} />
          <ErrorText error={act.error} />
        </ConfirmDialog>
      )}
    </form>
  );
}

/** Each business's own offer: what Bob quotes now, and a draft to change it (catalog.manage). */
export function CatalogPage() {
  const { t, lang } = useI18n();
  const tenant = useTenant();
  const published = usePublishedCatalog(tenant.data?.id);
  const versions = useCatalogVersions(true);
  const act = useCatalogAction();
  const draft = versions.data?.data.find((v) => v.status === 'draft');
  const [status, setStatus] = useState('');

  if (!published.data || !versions.data) return <div className="pad"><ErrorText error={published.error ?? versions.error} />{!published.error && !versions.error && <p className="muted">{t.loading}</p>}</div>;
  return (
    <div className="pad stack page">
      <section className="card-block stack" aria-labelledby="catalog-published">
        <h2 id="catalog-published">{published.data.version === null ? t.nav.catalog : t.catalog.published(published.data.version)}</h2>
        <PublishedView catalog={published.data} />
      </section>
      <section className="card-block">
        {draft ? (
          <DraftEditor key={draft.version} draft={draft} published={published.data} setStatus={setStatus} />
        ) : (
          <div className="toolbar">
            <button type="button" className="primary" disabled={act.isPending}
              onClick={() => act.mutate({ kind: 'draft' }, { onSuccess: (v) => setStatus(t.catalog.draft(v.version)) })}>{t.catalog.newDraft}</button>
            <ErrorText error={act.error} />
          </div>
        )}
        <p className="status-line ok" role="status" aria-live="polite">{status}</p>
        <h3>{t.catalog.versions}</h3>
        <ul className="plain versions">
          {versions.data.data.map((v) => (
            <li key={v.version}>v{v.version} · <span className={`pill ${v.status === 'published' ? 'bot' : ''}`}>{t.catalog.status[v.status]}</span> {v.published_at && <span className="muted small">{formatDateTime(v.published_at, lang)}</span>}</li>
          ))}
        </ul>
      </section>
    </div>
  );
}
