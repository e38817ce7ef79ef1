import type { BrowserContext } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { dictionaries } from '../../src/renderer/src/i18n';
import type { BackupsView } from '../../src/shared/schemas/backups';
import { axeViolations } from '../helpers/axe';
import { startMissionControl } from '../helpers/mission-control';
import { setOnboarded, signInAs, visit } from '../helpers/mission-control-pages';
import { DEMO_ADMIN, DEMO_OWNER, login } from '../helpers/server';

// Settings → Backups. Automatic backups off here, so the card starts empty and "Back up now" is what makes one.
let mc: Awaited<ReturnType<typeof startMissionControl>>;
let context: BrowserContext | undefined;
beforeAll(async () => {
  mc = await startMissionControl({ BOB_BACKUPS: 'off' });
  await setOnboarded(mc.bob, true);
});
afterEach(async () => {
  await context?.close();
  context = undefined;
});
afterAll(async () => {
  await mc?.close();
});

it('an admin backs up now from Settings and sees the new backup; the page passes axe, light and dark', async () => {
  const { context: c, page } = await signInAs(mc.browser, mc.bob, DEMO_ADMIN, { path: 'settings' });
  context = c;
  const card = page.getByRole('region', { name: 'Backups' });
  await card.getByText('No backup yet.').waitFor();
  await card.getByText('Automatic backups are off (BOB_BACKUPS=off). You can still back up now.').waitFor();

  // Keyboard: focus the button and press Enter.
  const button = card.getByRole('button', { name: 'Back up now' });
  await button.focus();
  await page.keyboard.press('Enter');
  await card.getByText(/^Backed up \(\d[\d.,]* (B|kB|MB)\)\.$/).waitFor();
  await expect.poll(() => button.isEnabled()).toBe(true);

  const admin = await login(mc.bob, DEMO_ADMIN);
  const v = (await (await mc.bob.fetch('/api/settings/backups', { headers: admin.bearer })).json()) as BackupsView;
  expect(v.last).toMatchObject({ ok: true, trigger: 'manual' });
  expect(await card.textContent()).toContain(v.directory!);
  expect(await card.textContent()).toContain('1 backup file kept');
  await card.getByText(/^Last backup: .*Size: /).waitFor();

  for (const scheme of ['light', 'dark'] as const) {
    const { context: other, page: p } = await signInAs(mc.browser, mc.bob, DEMO_ADMIN, { path: 'settings', scheme });
    await p.getByRole('region', { name: 'Backups' }).getByRole('button', { name: 'Back up now' }).waitFor();
    await visit(p, 'settings');
    expect(await axeViolations(p), scheme).toEqual([]);
    await other.close();
  }
});

it('in Italian; the owner does not see the card', async () => {
  const itx = dictionaries.it.backups;
  const { context: c, page } = await signInAs(mc.browser, mc.bob, DEMO_ADMIN, { path: 'settings', lang: 'it' });
  context = c;
  const card = page.getByRole('region', { name: itx.title });
  await card.getByRole('button', { name: itx.run }).waitFor();
  await card.getByText(`${itx.last}:`, { exact: false }).waitFor();

  const { context: ownerContext, page: ownerPage } = await signInAs(mc.browser, mc.bob, DEMO_OWNER, { path: 'settings' });
  await ownerPage.getByRole('heading', { name: 'Model provider' }).waitFor();
  expect(await ownerPage.getByRole('region', { name: 'Backups' }).count()).toBe(0);
  await ownerContext.close();
});
