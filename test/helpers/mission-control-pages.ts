import type { Browser, BrowserContext, Page } from 'playwright-core';
import { dictionaries, type Lang } from '../../src/renderer/src/i18n';
import { DEMO_OWNER, login, type Session, type TestServer } from './server';

export type Scheme = 'light' | 'dark';

/** Every page reachable from the sidebar, as `#/<id>`; the account page is reached from the header. */
export const ADMIN_PAGES = ['live', 'history', 'personas', 'widget', 'pricebook', 'catalog', 'tests', 'knowledge', 'profile', 'webhooks', 'team', 'usage', 'audit', 'settings'];

/**
 * A fresh context (axe needs one) in the given UI language and OS colour scheme, signed in.
 * Canvas text is recorded with the colour it is drawn in, so tests can read the Usage chart.
 */
export async function signInAs(
  browser: Browser,
  bob: TestServer,
  who: { email: string; password: string },
  opts: { lang?: Lang; scheme?: Scheme; path?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const lang = opts.lang ?? 'en';
  // The browser stays en-US: the UI language alone must decide how dates and numbers read.
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', colorScheme: opts.scheme ?? 'light' });
  await context.addInitScript((l) => {
    if (!localStorage.getItem('bob.lang')) localStorage.setItem('bob.lang', l);

    const drawn: { text: string; fill: string }[] = [];
    (window as unknown as { __canvasText: typeof drawn }).__canvasText = drawn;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- kept to be called with .call(this, …) below
    const fillText = CanvasRenderingContext2D.prototype.fillText;
    CanvasRenderingContext2D.prototype.fillText = function (this: CanvasRenderingContext2D, text: string, x: number, y: number, max?: number) {
      // eslint-disable-next-line @typescript-eslint/no-base-to-string -- the charts fill with colour strings, never gradients or patterns
      drawn.push({ text: String(text), fill: String(this.fillStyle) });
      return max === undefined ? fillText.call(this, text, x, y) : fillText.call(this, text, x, y, max);
    };
  }, lang);
  const page = await context.newPage();
  page.on('dialog', (d) => void d.accept());
  await page.goto(`${bob.url}/app/#/${opts.path ?? 'live'}`);
  const t = dictionaries[lang];
  await page.getByLabel(t.email).fill(who.email);
  await page.getByLabel(t.password, { exact: true }).fill(who.password);
  await page.getByRole('button', { name: t.signIn }).click();
  await page.getByRole('button', { name: t.signIn }).waitFor({ state: 'detached' });
  return { context, page };
}

/** The sidebar's pages for this user (Businesses included when present), plus Your account. */
export async function navPages(page: Page): Promise<string[]> {
  await page.locator('nav.sidebar a.nav-item').first().waitFor();
  const hrefs = await page.locator('nav.sidebar a.nav-item').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
  return [...hrefs.map((h) => h.replace(/^#\//, '')), 'account'];
}

/** Navigates by hash and waits until the page has finished loading what it shows. */
export async function visit(page: Page, path: string, lang: Lang = 'en'): Promise<void> {
  await page.evaluate((p) => (window.location.hash = `#/${p}`), path);
  const loading = dictionaries[lang].loading;
  await page.waitForFunction((l) => !document.querySelector('[aria-busy="true"]') && !document.querySelector('main')?.textContent?.includes(l), loading);
  // Lists and charts render right after their data: let them settle.
  await page.waitForTimeout(250);
}

/** Marks the demo business as past (or not yet past) its first-run wizard; returns the owner's API session. */
export async function setOnboarded(bob: TestServer, value: boolean): Promise<Session> {
  const owner = await login(bob, DEMO_OWNER);
  const res = await bob.send('PATCH', '/api/tenant', { settings: { onboarded: value } }, owner.bearer);
  if (!res.ok) throw new Error(`PATCH /api/tenant: ${res.status}`);
  return owner;
}

/** WCAG relative-luminance contrast of two CSS colours (rgb(), rgba() over white ignored, #hex). */
export function contrast(a: string, b: string): number {
  const lum = (c: string) => {
    const [r, g, bl] = parseColor(c).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    }) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [la, lb] = [lum(a), lum(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

function parseColor(c: string): [number, number, number] {
  const hex = /^#([0-9a-f]{6})$/i.exec(c.trim());
  if (hex) return [0, 2, 4].map((i) => parseInt(hex[1]!.slice(i, i + 2), 16)) as [number, number, number];
  const rgb = /rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)/.exec(c);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`not a colour: ${c}`);
}
