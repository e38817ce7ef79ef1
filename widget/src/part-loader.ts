// What the widget uses rarely loads on demand (issue #23: the launcher's script stays under its
// 12 KB gzip budget). A part is widget/src/parts/<name>.ts, built into out/widget/parts/<name>.js
// (an IIFE, scripts/build-widget.mjs) that registers what it exports with `definePart`; the core
// fetches it with `loadPart` the first time it is needed, from Bob's own origin, once per page.

const REGISTRY = '__bobWidgetParts';
type Registry = Record<string, unknown>;
const registry = (): Registry => {
  const w = window as unknown as Record<string, Registry | undefined>;
  return (w[REGISTRY] ??= {});
};

/** In a part: makes `part` what `loadPart(name)` resolves to. */
export function definePart<T>(name: string, part: T): void {
  registry()[name] = part;
}

/** Replaced at build time by a hash of the parts: a new build is never served from an old cache. */
declare const __BOB_PARTS_VERSION__: string;
const loading = new Map<string, Promise<unknown>>();

/** The part `name`, loaded from `api` (Bob's base URL) the first time; a failed load may be tried again. */
export function loadPart<T>(api: string, name: string): Promise<T> {
  const known = registry()[name];
  if (known) return Promise.resolve(known as T);
  let p = loading.get(name);
  if (!p) {
    p = new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = `${api}/widget/parts/${name}.js?v=${__BOB_PARTS_VERSION__}`;
      s.async = true;
      s.onload = () => (registry()[name] ? resolve(registry()[name]) : reject(new Error(`widget part ${name} did not register`)));
      s.onerror = () => {
        loading.delete(name);
        s.remove();
        reject(new Error(`widget part ${name} could not be loaded`));
      };
      document.head.append(s);
    });
    loading.set(name, p);
  }
  return p as Promise<T>;
}
