import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dictionaries } from '../../src/renderer/src/i18n';
import { publicChat, sid } from '../helpers/chat';
import { everyRow } from '../helpers/raw-sql';
import { startMissionControl } from '../helpers/mission-control';
import { ADMIN_PAGES, navPages, setOnboarded, signInAs, visit } from '../helpers/mission-control-pages';
import { DEMO_ADMIN, DEMO_OWNER } from '../helpers/server';

let mc: Awaited<ReturnType<typeof startMissionControl>>;
beforeAll(async () => {
  mc = await startMissionControl();
  await setOnboarded(mc.bob, true);
  // Data on every page that lists something: a conversation, a handoff, audit rows.
  await publicChat(mc.bob, { session_id: sid(), message: 'voglio parlare con un operatore' });
  await publicChat(mc.bob, { session_id: sid(), message: 'Quanto costa il piano Pro?' });
});
afterAll(() => mc?.close());

/**
 * The English UI strings that differ from their Italian counterpart, as the fixed parts of each
 * entry (a function's output split at its arguments). Strings both languages share are not here.
 */
function englishOnly(): string[] {
  const out = new Set<string>();
  const args = Array.from({ length: 4 }, (_, i) => `\u27e6${i}\u27e7`);
  const parts = (v: unknown): string[] => {
    if (typeof v === 'string') return [v];
    if (typeof v === 'function') {
      try {
        return String(v(...args)).split(/\u27e6\d\u27e7/);
      } catch {
        return [];
      }
    }
    return [];
  };
  const walk = (en: unknown, it: unknown) => {
    if (en && typeof en === 'object') {
      for (const k of Object.keys(en)) walk((en as Record<string, unknown>)[k], (it as Record<string, unknown> | undefined)?.[k]);
      return;
    }
    const itText = parts(it).join(' ');
    for (const p of parts(en)) {
      const s = p.replace(/^[\s.,:;·()…→—-]+|[\s.,:;·()…→—?-]+$/g, '');
      // One letter, or text Italian uses as well (a brand, "Email", "Widget"), tells nothing.
      if (s.length < 3 || !/\p{L}{3}/u.test(s) || itText.includes(s)) continue;
      out.add(s);
    }
  };
  walk(dictionaries.en, dictionaries.it);
  return [...out];
}

// uPlot's own English (its legend's x label) is not in our dictionary.
const ENGLISH = [...englishOnly(), 'Time'];
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const WORDS = ENGLISH.map((s) => ({ s, re: new RegExp(`(^|[^\\p{L}\\p{N}])${escape(s)}($|[^\\p{L}\\p{N}])`, 'u') }));
const US_DATE = /\b\d{1,2}\/\d{1,2}\/\d{4}\b|\b\d{1,2}:\d{2}(:\d{2})?\s?(AM|PM)\b/;
const EN_MONTH = /\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b|^\d{1,2}\/\d{1,2}$/;

/** Visible text nodes, placeholders and accessible labels the user reads, plus text drawn on canvases. */
async function visibleTexts(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const texts: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const text = n.textContent?.trim();
      // Text marked as another language (the language switch's "English") is meant to be so.
      if (!el || !text || el.closest('script,style,code,pre,textarea') || (el.closest('[lang]')?.getAttribute('lang') ?? 'it') !== 'it') continue;
      if (el.closest('option') ? !el.closest('select')?.checkVisibility() : !el.checkVisibility()) continue;
      texts.push(text);
    }
    for (const el of document.querySelectorAll<HTMLElement>('[placeholder],[aria-label],[title]')) {
      if (!el.checkVisibility()) continue;
      for (const a of ['placeholder', 'aria-label', 'title']) if (el.getAttribute(a)) texts.push(el.getAttribute(a)!);
    }
    return texts;
  });
}

/** Every short text stored in the database (names, persona descriptions, catalog items): data, not UI. */
async function dataStrings(): Promise<Set<string>> {
  const out = new Set<string>();
  for (const rows of Object.values(await everyRow(mc.bob.database.storage))) {
    for (const row of rows) {
      for (const v of Object.values(row)) collect(v);
    }
  }
  return out;

  function collect(v: unknown): void {
    if (typeof v === 'string') {
      if (/^[[{]/.test(v)) {
        try {
          collect(JSON.parse(v));
        } catch {
          // not JSON after all
        }
      // A stored value that is also a UI string (a support level "Priority") is the UI's to translate.
      } else if (v.trim().length >= 3 && v.length < 300 && !ENGLISH.includes(v.trim())) out.add(v.trim());
    } else if (v && typeof v === 'object') for (const x of Object.values(v)) collect(x);
  }
}

/** The text with the data it quotes ("Piano di Business Co") taken out, longest first. */
function withoutData(text: string, data: Set<string>): string {
  let out = text;
  for (const d of [...data].sort((a, b) => b.length - a.length)) if (out.includes(d)) out = out.split(d).join(' \u2022 ');
  return out;
}

async function check(page: Page, where: string): Promise<string[]> {
  const problems: string[] = [];
  const data = await dataStrings();
  for (const text of await visibleTexts(page)) {
    const ui = withoutData(text, data);
    for (const { s, re } of WORDS) if (re.test(ui)) problems.push(`${where}: English "${s}" in "${text}"`);
    if (US_DATE.test(text)) problems.push(`${where}: US date/time in "${text}"`);
  }
  const drawn = (await page.evaluate(() => (window as unknown as { __canvasText: { text: string }[] }).__canvasText.splice(0))).map((d) => d.text);
  for (const text of drawn) {
    if (EN_MONTH.test(text) || US_DATE.test(text)) problems.push(`${where} (chart): US/English date "${text}"`);
    for (const { s, re } of WORDS) if (re.test(text)) problems.push(`${where} (chart): English "${s}" in "${text}"`);
  }
  return problems;
}

describe('Mission Control in Italian', () => {
  it('has English strings to look for (the dictionaries are walked)', () => {
    expect(ENGLISH).toContain('Sign out');
    expect(ENGLISH).not.toContain('Bob');
  });

  for (const [role, who, expected] of [
    ['owner', DEMO_OWNER, ['live', 'usage', 'settings']],
    ['admin', DEMO_ADMIN, ADMIN_PAGES],
  ] as const) {
    it(`shows no English and no US dates on any page, as the ${role}`, async () => {
      const { context, page } = await signInAs(mc.browser, mc.bob, who, { lang: 'it' });
      const pages = await navPages(page);
      for (const p of expected) expect(pages).toContain(p);
      const problems: string[] = [];
      for (const p of pages) {
        await visit(page, p, 'it');
        if (p === 'live' || p === 'history') {
          const row = page.locator('.list a.row').first();
          if (await row.count()) {
            await row.click();
            await page.waitForTimeout(250);
          }
        }
        if (p === 'usage') {
          await page.locator('.chart canvas').waitFor();
          // The legend shows the hovered day: move over the chart.
          await page.locator('.chart .u-over').hover();
        }
        problems.push(...(await check(page, p)));
      }
      await context.close();
      expect(problems).toEqual([]);
    }, 120_000);
  }
});
