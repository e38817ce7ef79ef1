import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOTS, startMissionControl } from '../helpers/mission-control';
import { contrast, setOnboarded, signInAs, visit } from '../helpers/mission-control-pages';
import { DEMO_OWNER } from '../helpers/server';

let mc: Awaited<ReturnType<typeof startMissionControl>>;
beforeAll(async () => {
  mc = await startMissionControl();
  await setOnboarded(mc.bob, true);
});
afterAll(() => mc?.close());

/** The first opaque background behind an element. */
const backgroundOf = (s: string) => {
  for (let el: Element | null = document.querySelector(s); el; el = el.parentElement) {
    const bg = getComputedStyle(el).backgroundColor;
    if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
  }
  return getComputedStyle(document.documentElement).backgroundColor;
};

describe('Mission Control theme', () => {
  it('chooses Dark with the OS in light: the page is dark, stays dark after a reload, and the Usage chart stays readable', async () => {
    const { context, page } = await signInAs(mc.browser, mc.bob, DEMO_OWNER, { scheme: 'light' });
    const bodyBg = () => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
    const light = await bodyBg();

    // In the top bar next to the language switch, and by keyboard.
    const theme = page.getByRole('banner').getByRole('combobox', { name: 'Theme' });
    await theme.focus({ timeout: 5000 });
    await theme.selectOption('dark');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    const dark = await bodyBg();
    expect(dark).not.toBe(light);
    expect(contrast(dark, '#ffffff')).toBeGreaterThan(10);

    await page.reload();
    await page.getByRole('banner').waitFor();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    expect(await bodyBg()).toBe(dark);
    expect(await page.getByRole('banner').getByRole('combobox', { name: 'Theme' }).inputValue()).toBe('dark');

    // The chart's axis labels are drawn on a canvas: every label must read against the card it sits on.
    await visit(page, 'usage');
    await page.locator('.chart canvas').waitFor();
    const labels = async () => (await page.evaluate(() => (window as unknown as { __canvasText: { text: string; fill: string }[] }).__canvasText)).filter((d) => d.text.trim());
    await expect.poll(async () => (await labels()).length).toBeGreaterThan(5);
    const chartBg = await page.evaluate(backgroundOf, '.chart');
    for (const d of await labels()) expect(contrast(d.fill, chartBg), `${d.text} in ${d.fill} on ${chartBg}`).toBeGreaterThanOrEqual(4.5);
    await page.screenshot({ path: `${SHOTS}/mc-usage-dark.png` });

    // Back to System follows the OS again (light here), and the chart redraws in light colours.
    await page.evaluate(() => ((window as unknown as { __canvasText: unknown[] }).__canvasText.length = 0));
    await page.getByRole('banner').getByRole('combobox', { name: 'Theme' }).selectOption('system');
    await expect.poll(bodyBg).toBe(light);
    await expect.poll(async () => (await labels()).length).toBeGreaterThan(5);
    const lightChartBg = await page.evaluate(backgroundOf, '.chart');
    for (const d of await labels()) expect(contrast(d.fill, lightChartBg), `${d.text} in ${d.fill} on ${lightChartBg}`).toBeGreaterThanOrEqual(4.5);
    await context.close();
  });
});
