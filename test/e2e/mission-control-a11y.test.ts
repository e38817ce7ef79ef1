import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, type AxeFinding } from '../helpers/axe';
import { publicChat, sid } from '../helpers/chat';
import { startMissionControl } from '../helpers/mission-control';
import { ADMIN_PAGES, navPages, setOnboarded, signInAs, visit, type Scheme } from '../helpers/mission-control-pages';
import { DEMO_ADMIN, DEMO_OWNER, login } from '../helpers/server';

let mc: Awaited<ReturnType<typeof startMissionControl>>;
beforeAll(async () => {
  mc = await startMissionControl();
  await setOnboarded(mc.bob, true);
  await publicChat(mc.bob, { session_id: sid(), message: 'voglio parlare con un operatore' });
  await publicChat(mc.bob, { session_id: sid(), message: 'How much is Pro?' });
});
afterAll(() => mc?.close());

/** The OS scheme (newContext) and the in-app choice agree, so both paths to a theme are checked. */
async function chooseTheme(page: Page, scheme: Scheme) {
  await page.getByRole('banner').getByRole('combobox', { name: 'Theme' }).selectOption(scheme, { timeout: 5000 });
  await page.waitForFunction((s) => document.documentElement.dataset.theme === s, scheme);
}

type Found = Record<string, AxeFinding[]>;
async function audit(page: Page, found: Found, state: string) {
  const v = await axeViolations(page);
  if (v.length) found[state] = v;
}
const report = (found: Found) => {
  for (const [state, v] of Object.entries(found)) console.log(`${state}: ${v.length} violation(s)\n${JSON.stringify(v, null, 1)}`);
  return Object.fromEntries(Object.entries(found).map(([s, v]) => [s, v.map((x) => `${x.impact} ${x.id}: ${x.targets.join(' | ')}`)]));
};

describe.each(['light', 'dark'] as const)('Mission Control accessibility (%s)', (scheme) => {
  for (const [role, who] of [
    ['owner', DEMO_OWNER],
    ['admin', DEMO_ADMIN],
  ] as const) {
    it(`every page, as the ${role}, has no axe violations`, async () => {
      const { context, page } = await signInAs(mc.browser, mc.bob, who, { scheme });
      const found: Found = {};
      try {
        await chooseTheme(page, scheme);
        const pages = await navPages(page);
        if (role === 'admin') for (const p of ADMIN_PAGES) expect(pages).toContain(p);
        for (const p of pages) {
          await visit(page, p);
          await audit(page, found, p);
        }
        // States: an open conversation (the demo chats reach the platform's business), a new
        // persona, the catalog draft with the publish dialog.
        if (role === 'admin') {
          await visit(page, 'live');
          await page.locator('.list a.row').first().click();
          await page.locator('.transcript').waitFor();
          await audit(page, found, 'live: open conversation');
        }
        await visit(page, 'personas/new');
        await audit(page, found, 'personas: new persona editor');
        if (role === 'owner') {
          await visit(page, 'catalog');
          // The light run leaves its draft open for the dark one.
          const newDraft = page.getByRole('button', { name: 'New draft' });
          if (await newDraft.count()) await newDraft.click();
          const draft = page.getByRole('form', { name: /^Draft version/ });
          await draft.getByRole('button', { name: 'Add item' }).click();
          await draft.getByRole('group', { name: 'New item' }).getByLabel('Name').fill(`Margherita ${scheme}`);
          await draft.getByRole('group', { name: `Margherita ${scheme}` }).getByRole('button', { name: 'Done' }).click();
          await audit(page, found, 'catalog: draft');
          await draft.getByRole('button', { name: 'Publish…' }).click();
          await page.getByRole('dialog').waitFor();
          await audit(page, found, 'catalog: publish dialog');
          await page.keyboard.press('Escape');
        }
      } finally {
        await context.close();
      }
      expect(report(found)).toEqual({});
    }, 240_000);
  }

  it('the sign-in page, an invitation and the first onboarding step have no axe violations', async () => {
    const found: Found = {};
    const contexts: BrowserContext[] = [];
    const fresh = async (path: string) => {
      const context = await mc.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US', colorScheme: scheme });
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(`${mc.bob.url}/app/#/${path}`);
      return page;
    };
    try {
      const signIn = await fresh('live');
      await signIn.getByRole('button', { name: 'Sign in' }).waitFor();
      await audit(signIn, found, 'login');

      const owner = await login(mc.bob, DEMO_OWNER);
      const added = await (await mc.bob.send('POST', '/api/team', { email: `a11y-${scheme}@business.com`, name: 'Ada', role: 'agent' }, owner.bearer)).json();
      const invite = await fresh(new URL(added.invite_url).hash.replace(/^#\//, ''));
      await invite.getByRole('button', { name: 'Set password' }).waitFor();
      await audit(invite, found, 'invite');

      await setOnboarded(mc.bob, false);
      const { context, page } = await signInAs(mc.browser, mc.bob, DEMO_OWNER, { scheme });
      contexts.push(context);
      await page.getByRole('button', { name: 'Next' }).waitFor();
      await audit(page, found, 'onboarding step 1');
    } finally {
      await setOnboarded(mc.bob, true);
      for (const c of contexts) await c.close();
    }
    expect(report(found)).toEqual({});
  }, 120_000);
});
