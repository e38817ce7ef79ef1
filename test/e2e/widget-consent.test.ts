// Issue #22: the business's privacy notice in the widget, on an English and an Italian customer
// site: shown before the first message, sending blocked until "Accept" / "Accetto", then answered.
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_WIDGET_DIR } from '../../src/server/server';
import { axeViolations } from '../helpers/axe';
import { launchBrowser, serveHostPage } from '../helpers/browser';
import { docShot } from '../helpers/mission-control';
import { DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';

const NOTICE = {
  en: 'Business Co keeps your messages to answer you, for 90 days.',
  it: 'Business Co conserva i tuoi messaggi per risponderti, per 90 giorni.',
};
const POLICY = 'https://business.example/privacy';

let bob: TestServer;
let owner: Session;
let browser: Browser;
const sites: Record<'en' | 'it', Awaited<ReturnType<typeof serveHostPage>>> = {} as never;

const page = (lang: string) => `<!doctype html><html lang="${lang}"><head><title>Business Co</title></head><body><main><h1>Business Co</h1></main>SNIPPET</body></html>`;

beforeAll(async () => {
  if (!fs.existsSync(`${DEFAULT_WIDGET_DIR}/widget.js`)) throw new Error('The widget is not built: run `npm run build` (npm test does it)');
  bob = await startTestServer();
  owner = await login(bob, DEMO_OWNER);
  const { snippet } = await (await bob.fetch('/api/widget/setup', { headers: owner.bearer })).json();
  sites.en = await serveHostPage(page('en').replace('SNIPPET', snippet));
  sites.it = await serveHostPage(page('it').replace('SNIPPET', snippet));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await Promise.all(Object.values(sites).map((s) => s.close()));
  await bob?.close();
});

const shadow = (p: Page) => p.locator('bob-widget');
const setConsent = async (settings: Record<string, unknown>) =>
  expect((await bob.send('PATCH', '/api/tenant', { settings }, owner.bearer)).status).toBe(200);

async function openWidget(lang: 'en' | 'it') {
  const context = await browser.newContext();
  const p = await context.newPage();
  await p.goto(`http://localhost:${sites[lang].port}/`);
  await shadow(p).locator('.launcher').click();
  await shadow(p).locator('.msg.bot').first().waitFor();
  return { p, close: () => context.close() };
}

describe('the privacy notice in the widget', () => {
  for (const [lang, accept] of [['en', 'Accept'], ['it', 'Accetto']] as const) {
    it(`${lang}: blocks sending until the visitor accepts, then Bob answers`, async () => {
      await setConsent({ consent_required: true, consent_notice: NOTICE, privacy_policy_url: POLICY });
      const { p, close } = await openWidget(lang);
      const w = shadow(p);
      const notice = w.locator('.consent');
      await expect(notice.textContent()).resolves.toContain(NOTICE[lang]);
      const link = notice.locator('a');
      await expect(link.getAttribute('href')).resolves.toBe(POLICY);
      await expect(link.getAttribute('target')).resolves.toBe('_blank');
      // Before the first message: the notice sits above the greeting.
      await expect(w.locator('.log > *').first().getAttribute('class')).resolves.toBe('consent');
      await expect(w.locator('textarea').isDisabled()).resolves.toBe(true);
      await expect(w.locator('form button[type="submit"]').isDisabled()).resolves.toBe(true);

      // axe with the notice open (and the disabled form).
      expect(await axeViolations(p)).toEqual([]);
      // How it looks, wide and on a phone (the panel then takes the screen): the notice, the
      // Accept button and the greeting all in view, nothing wider than the panel.
      for (const width of [1280, 390]) {
        await p.setViewportSize({ width, height: width === 390 ? 844 : 800 });
        await expect(w.locator('.log').evaluate((l) => l.scrollWidth - l.clientWidth)).resolves.toBeLessThanOrEqual(0);
        await expect(notice.getByRole('button', { name: accept }).isVisible()).resolves.toBe(true);
        await docShot(p, `widget-consent-${width}-${lang}.png`);
      }
      await p.setViewportSize({ width: 1280, height: 800 });

      await notice.getByRole('button', { name: accept }).click();
      await notice.getByRole('button').waitFor({ state: 'detached' });
      await expect(w.locator('textarea').isDisabled()).resolves.toBe(false);
      await w.locator('textarea').fill(lang === 'it' ? 'Quanto costa una dichiarazione dei redditi?' : 'How much is a tax return?');
      await w.locator('textarea').press('Enter');
      await w.locator('.msg.bot').nth(1).waitFor({ timeout: 15_000 });
      await expect(w.locator('.msg.visitor.failed').count()).resolves.toBe(0);

      // The acceptance is kept with the session: after a reload, no question again.
      await p.reload();
      await w.locator('.launcher').click();
      await w.locator('.msg.visitor').first().waitFor();
      await expect(w.locator('.consent button').count()).resolves.toBe(0);
      await expect(w.locator('textarea').isDisabled()).resolves.toBe(false);
      await close();
    });
  }

  it('shows a notice that is not required as information, without blocking', async () => {
    await setConsent({ consent_required: false, consent_notice: NOTICE, privacy_policy_url: POLICY });
    const { p, close } = await openWidget('en');
    const w = shadow(p);
    await expect(w.locator('.consent').textContent()).resolves.toContain(NOTICE.en);
    await expect(w.locator('.consent button').count()).resolves.toBe(0);
    await expect(w.locator('textarea').isDisabled()).resolves.toBe(false);
    await w.locator('textarea').fill('Hello');
    await w.locator('textarea').press('Enter');
    await w.locator('.msg.bot').nth(1).waitFor({ timeout: 15_000 });
    await close();
  });
});
