import { SignJWT } from 'jose';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveHostPage } from '../helpers/browser';
import { records } from '../helpers/db';
import { setOnboarded } from '../helpers/mission-control-pages';
import { docShot, signInPage, startMissionControl } from '../helpers/mission-control';
import { DEMO_OWNER, login, type TestServer } from '../helpers/server';

// A business's site that drives the widget through window.Bob, with calls queued before the script loads.
let mc: Awaited<ReturnType<typeof startMissionControl>>;
let bob: TestServer;
let site: Awaited<ReturnType<typeof serveHostPage>>;
beforeAll(async () => {
  mc = await startMissionControl();
  ({ bob } = mc);
  await setOnboarded(bob, true);
  const owner = await login(bob, DEMO_OWNER);
  const { snippet } = await (await bob.fetch('/api/widget/setup', { headers: owner.bearer })).json();
  site = await serveHostPage(`<!doctype html><html lang="en"><head><title>Business Co</title></head><body><h1>Business Co</h1>
    <script>
      window.seen = [];
      (window.BobReady = window.BobReady || []).push(function (Bob) {
        ['open', 'close', 'message', 'handoff'].forEach(function (e) {
          Bob.on(e, function (d) { window.seen.push(e + (d ? ':' + d.author + ':' + d.body : '')); });
        });
        window.visitorSet = Bob.setVisitor({ name: 'Grace Hopper', email: 'grace@example.com', attributes: { plan: 'pro' } });
      });
    </script>
    ${snippet}</body></html>`);
});
afterAll(async () => {
  await site?.close();
  await mc?.close();
});

const seen = (page: Page) => page.evaluate(() => (window as unknown as { seen: string[] }).seen);
const panelOpen = (page: Page) => page.locator('bob-widget').evaluate((el) => !el.shadowRoot!.querySelector('.panel')!.hasAttribute('hidden'));
const bobCall = (page: Page, js: string) => page.evaluate(js);

describe('window.Bob on a customer\'s site', () => {
  it('opens, closes, toggles, sends, sets the visitor, fires events and identifies with a signed token', async () => {
    const context = await mc.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const keyHeader = page.waitForRequest('**/api/widget/visitor');
    await page.goto(`http://localhost:${site.port}/`);
    await page.getByRole('button', { name: 'Chat with Bob' }).waitFor();
    const widgetKey = (await keyHeader).headers()['x-widget-key']!;
    expect(await page.evaluate(() => (window as unknown as { visitorSet: Promise<{ verified: boolean }> }).visitorSet)).toMatchObject({ verified: false });

    await bobCall(page, 'Bob.open()');
    expect(await panelOpen(page)).toBe(true);
    await bobCall(page, 'Bob.close()');
    expect(await panelOpen(page)).toBe(false);
    await bobCall(page, 'Bob.toggle()');
    expect(await panelOpen(page)).toBe(true);
    await bobCall(page, 'Bob.toggle()');
    expect(await panelOpen(page)).toBe(false);
    expect(await seen(page)).toEqual(['open', 'close', 'open', 'close']);

    // An unsubscribed handler hears nothing.
    await bobCall(page, 'window.offCalls = 0; Bob.on("message", function () { window.offCalls++; })(); Bob.send("How much is a tax return?")');
    const panel = page.getByRole('dialog', { name: 'Chat with Bob' });
    await panel.getByText('How much is a tax return?').waitFor();
    await panel.getByText(/Tax return costs €180\.00 each/).waitFor({ timeout: 5000 });
    await expect.poll(() => seen(page)).toContain('message:visitor:How much is a tax return?');
    expect((await seen(page)).some((e) => e.startsWith('message:bot:Tax return costs €180.00 each'))).toBe(true);
    expect(await bobCall(page, 'window.offCalls')).toBe(0);

    await bobCall(page, 'Bob.send("I would like to talk to a person")');
    await expect.poll(() => seen(page)).toContain('handoff');

    // Mission Control shows what the site said, marked unverified.
    const tenant = (await records(bob).tenant('business-co'))!;
    const externalId = (await page.evaluate((k) => localStorage.getItem(k), `bob:${tenant.id}:session`))!;
    const session = (await records(bob).session(externalId))!;
    const staff = await signInPage(mc, DEMO_OWNER, `live/${session.id}`);
    const who = staff.page.getByTestId('visitor-identity');
    await who.getByText('Grace Hopper · grace@example.com').waitFor();
    await who.getByText('unverified', { exact: true }).waitFor();

    // The site's server signs a token with the key's identity secret; the page passes it on.
    const owner = await login(bob, DEMO_OWNER);
    const key = (await (await bob.fetch('/api/widget-keys', { headers: owner.bearer })).json()).data.find((k: { key: string }) => k.key === widgetKey);
    const { secret } = await (await bob.send('POST', `/api/widget-keys/${key.id}/identity-secret`, {}, owner.bearer)).json();
    const token = await new SignJWT({ sub: 'user-1', name: 'Grace B. Hopper', email: 'grace@example.com' })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    const forged = await new SignJWT({ sub: 'user-1' }).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('5m').sign(new TextEncoder().encode('a-guess-at-the-secret-a-guess'));
    expect(await page.evaluate((t) => (window as unknown as { Bob: { identify(t: string): Promise<unknown> } }).Bob.identify(t).catch((e: { code: string }) => e.code), forged)).toBe('invalid_identity');
    expect(await page.evaluate((t) => (window as unknown as { Bob: { identify(t: string): Promise<unknown> } }).Bob.identify(t), token)).toMatchObject({ verified: true, session_id: externalId });

    await staff.page.reload();
    await who.getByText('Grace B. Hopper · grace@example.com').waitFor();
    await who.getByText('verified', { exact: true }).waitFor();
    // Widget Setup: the key's identity verification, a secret set.
    await staff.page.evaluate(() => (window.location.hash = '#/widget'));
    const identity = staff.page.locator('details.key-identity').first();
    await identity.locator('summary').click();
    await identity.getByText('Only verified visitors can chat').waitFor();
    await docShot(staff.page, 'mc-widget-identity-1280-light-en.png', { show: identity });
    await docShot(staff.page, 'mc-widget-identity-390-dark-it.png', { lang: 'it', scheme: 'dark', width: 390, height: 844, show: identity });
    await staff.context.close();
    await context.close();
  });
});
