import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { PublishedCatalog } from '../../src/shared/schemas/catalog';
import type { Tenant } from '../../src/shared/schemas/tenants';
import { serveHostPage } from '../helpers/browser';
import { eventually } from '../helpers/eventually';
import { SHOTS, screenshotPageViews, startMissionControl } from '../helpers/mission-control';
import { setOnboarded } from '../helpers/mission-control-pages';
import { DEMO_OWNER, type Session } from '../helpers/server';

let mc: Awaited<ReturnType<typeof startMissionControl>>;
let context: BrowserContext | undefined;
let owner: Session;
beforeAll(async () => {
  mc = await startMissionControl();
  owner = await setOnboarded(mc.bob, true);
});
afterAll(async () => {
  await context?.close();
  await mc?.close();
});

async function signIn(hash: string): Promise<Page> {
  await context?.close();
  context = await mc.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: 'en-US' });
  const page = await context.newPage();
  await page.goto(`${mc.bob.url}/app/#/${hash}`);
  await page.getByLabel('Email').fill(DEMO_OWNER.email);
  await page.getByLabel('Password').fill(DEMO_OWNER.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  return page;
}

const published = async () => (await (await mc.bob.fetch('/api/catalog?business_id=business-co')).json()) as PublishedCatalog;

/** Drops a file on an element the way a browser does (a DataTransfer carrying a File). */
async function dropFile(page: Page, testId: string, name: string, text: string) {
  const transfer = await page.evaluateHandle(([n, t]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([t], n, { type: 'text/csv' }));
    return dt;
  }, [name, text] as const);
  const zone = page.getByTestId(testId);
  await zone.dispatchEvent('dragover', { dataTransfer: transfer });
  await zone.dispatchEvent('drop', { dataTransfer: transfer });
}

it('the owner drafts a catalog (an item with options, a CSV import), reads the diff and publishes it through the dialog', async () => {
  const page = await signIn('catalog');
  await page.getByRole('heading', { name: 'Published version 1' }).waitFor();
  const consulting = page.getByRole('region', { name: 'Consulting' });
  await consulting.getByText('€90.00').waitFor();
  await consulting.getByText('price on request').waitFor();
  await consulting.getByText('unavailable').waitFor();
  await page.getByText('Options: up to 5 employees €120.00 · 6–20 employees €240.00').waitFor();

  await page.getByRole('button', { name: 'New draft' }).click();
  const draft = page.getByRole('form', { name: 'Draft version 2' });
  await draft.waitFor();
  await draft.getByRole('button', { name: 'Add item' }).click();
  const editor = draft.getByRole('group', { name: 'New item' });
  await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute('maxlength'))).toBe('120');
  await editor.getByLabel('Name').fill('Margherita');
  await draft.getByRole('group', { name: 'Margherita' }).getByLabel('Category').fill('Pizza');
  const item = draft.getByRole('group', { name: 'Margherita' });
  await item.getByLabel('Price (EUR)').fill('8');
  await item.getByRole('button', { name: 'Add option' }).click();
  await item.getByLabel('Option', { exact: true }).fill('Large');
  await item.getByLabel('Option price').fill('11');
  await item.getByRole('button', { name: 'Done' }).click();
  await draft.getByRole('button', { name: 'Edit Margherita' }).waitFor();
  await draft.getByRole('region', { name: 'Changes from the published version' }).getByText('Margherita €8.00').waitFor();

  // A bad row first: the server names the line and the column, and nothing changes.
  await draft.getByLabel('Import a CSV file').setInputFiles({
    name: 'bad.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('category,name,description,unit,price,available\nConsulting,Initial consultation,,per hour,95,yes\nPizza,Margherita,,each,eight,yes\n'),
  });
  await draft.getByRole('alert').getByText(/^The CSV file was not imported: line 3, column price: /).waitFor();
  expect(await draft.getByRole('button', { name: /^Edit / }).count()).toBe(7);

  // The good file, dropped on the drop zone: it replaces the items; Margherita keeps its id and option.
  const good = [
    'category,name,description,unit,price,available',
    'Consulting,Initial consultation,,per hour,95,yes',
    'Accounting,Monthly bookkeeping,,per month,290,yes',
    'Accounting,Tax return,,each,180,yes',
    'Accounting,Payroll,,per month,120,yes',
    'Pizza,Margherita,"Tomato, mozzarella, basil",each,8.50,yes',
  ].join('\n');
  await dropFile(page, 'csv-drop', 'catalog.csv', good);
  await page.getByRole('status').getByText('Imported 5 items.').waitFor();
  expect(await draft.getByRole('alert').count()).toBe(0);

  const changes = draft.getByRole('region', { name: 'Changes from the published version' });
  await changes.getByText('Added (1)').waitFor();
  await changes.getByText('Margherita €8.50').waitFor();
  await changes.getByText('Removed (2)').waitFor();
  await changes.getByText('Company formation').waitFor();
  await changes.getByText('€90.00 → €95.00').waitFor();
  expect(await changes.getByText('Initial consultation').count()).toBe(1);

  // The dialog: Escape cancels and gives focus back; Publish publishes.
  await draft.getByRole('button', { name: 'Publish…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Publish version 2?' });
  await dialog.getByText('€90.00 → €95.00').waitFor();
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Cancel');
  await page.screenshot({ path: `${SHOTS}/mc-catalog-publish-dialog.png` });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Publish…');
  expect((await published()).version).toBe(1);

  await draft.getByRole('button', { name: 'Publish…' }).click();
  await dialog.getByRole('button', { name: 'Publish', exact: true }).click();
  await page.getByRole('status').getByText('Version 2 published.').waitFor();
  await page.getByRole('heading', { name: 'Published version 2' }).waitFor();
  const live = await published();
  expect(live.version).toBe(2);
  expect(live.items.map((i) => i.name)).toEqual(['Initial consultation', 'Monthly bookkeeping', 'Tax return', 'Payroll', 'Margherita']);
  expect(live.items.find((i) => i.name === 'Margherita')).toMatchObject({ category: 'Pizza', price: 8.5, options: [{ name: 'Large', price: 11 }], description: 'Tomato, mozzarella, basil' });
  await page.getByRole('region', { name: 'Pizza' }).getByText('Options: Large €11.00').waitFor();
});

it('the owner fills in the business profile and its weekly hours; the server refuses a bad website next to the form', async () => {
  const page = await signIn('profile');
  const form = page.getByRole('form', { name: 'Business profile' });
  // The demo business starts with a profile: weekdays 9–13 and 14–18, two closures.
  await form.getByLabel('Address').fill('Via Roma 1, Milano');
  await form.getByLabel('Phone').fill('+39 02 1234567');
  await form.getByLabel('Time zone').fill('Europe/Rome');
  await expect.poll(() => form.getByLabel('Bob knows the opening hours').isChecked()).toBe(true);
  await form.getByLabel('Monday, hours 1: Opens').fill('08:30');
  await form.getByLabel('Monday, hours 1: Closes').fill('12:30');
  await form.getByLabel('Monday, hours 2: Closes').fill('19:00');
  await form.getByRole('button', { name: 'Add hours: Monday' }).click();
  await form.getByLabel('Monday, hours 3: Opens').waitFor();
  await form.getByRole('button', { name: 'Remove these hours: Monday, hours 3' }).click();
  await form.getByRole('button', { name: 'Copy Monday to weekdays' }).click();
  await form.getByRole('group', { name: 'Saturday' }).getByLabel('Closed').uncheck();
  await form.getByRole('button', { name: 'Remove closure 2026-12-26' }).click();
  await form.getByRole('button', { name: 'Add closure' }).click();
  await form.getByLabel('Date').last().fill('2026-12-31');
  await form.getByLabel('Note').last().fill('New Year’s Eve');

  await form.getByLabel('Website').fill('ftp://files.example.com');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByRole('alert').getByText(/website/).waitFor();

  await form.getByLabel('Website').fill('https://business.example.com');
  await form.getByRole('button', { name: 'Save' }).click();
  await form.getByRole('status').getByText('Saved').waitFor();
  expect(await form.getByRole('alert').count()).toBe(0);
  const tenant = (await (await mc.bob.fetch('/api/tenant', { headers: owner.bearer })).json()) as Tenant;
  expect(tenant.settings).toMatchObject({
    address: 'Via Roma 1, Milano',
    phone: '+39 02 1234567',
    website: 'https://business.example.com',
    timezone: 'Europe/Rome',
    hours: { mon: [['08:30', '12:30'], ['14:00', '19:00']], fri: [['08:30', '12:30'], ['14:00', '19:00']], sat: [['09:00', '18:00']], sun: [] },
    closures: [{ date: '2026-12-25', note: 'Christmas' }, { date: '2026-12-31', note: 'New Year’s Eve' }],
  });
});

it('the widget on another origin quotes the published catalog in English and Italian, and Live shows each answer\'s basis', async () => {
  const { snippet } = (await (await mc.bob.fetch('/api/widget/setup', { headers: owner.bearer })).json()) as { snippet: string };
  const sites = await Promise.all(
    (['en', 'it'] as const).map((lang) => serveHostPage(`<!doctype html><html lang="${lang}"><title>Business Co</title><h1>Business Co</h1>${snippet}</html>`)),
  );
  try {
    const asks = [
      { site: sites[0]!, question: 'How much is a Margherita?', answer: /Margherita costs €8\.50 each\. Options: Large €11\.00\./, launcher: 'Chat with Bob', box: 'Write a message…' },
      { site: sites[1]!, question: 'Quanto costa la margherita?', answer: /Margherita costa 8,50\s€ each\. Opzioni: Large 11,00\s€\./, launcher: 'Chatta con Bob', box: 'Scrivi un messaggio…' },
    ];
    for (const a of asks) {
      const visitor = await mc.browser.newPage();
      await visitor.goto(`http://localhost:${a.site.port}/`);
      await visitor.getByRole('button', { name: a.launcher }).click();
      const box = visitor.getByRole('textbox', { name: a.box });
      await box.fill(a.question);
      await box.press('Enter');
      await visitor.getByText(a.answer).waitFor({ timeout: 15_000 }).catch(async (err) => {
        await visitor.screenshot({ path: `${SHOTS}/mc-catalog-widget-failed.png` });
        throw err;
      });
      await visitor.close();
    }
  } finally {
    await Promise.all(sites.map((s) => s.close()));
  }

  const list = (await (await mc.bob.fetch('/api/chat/sessions', { headers: owner.bearer })).json()) as { data: { id: string; channel: string; last_message: string }[] };
  const italian = list.data.find((s) => s.channel === 'widget' && s.last_message.startsWith('Margherita costa'))!;
  const page = await signIn(`live/${italian.id}`);
  const receipt = page.locator('.bubble.bot .receipt').last();
  await receipt.waitFor();
  // The receipt names the items once that catalog version has loaded (their ids until then).
  const text = await eventually(async () => { const t = await receipt.textContent(); return t?.includes('Margherita') && t; }, 10_000, 'the receipt to name its item');
  expect(text).toBe('Based on catalog v2 · Margherita · built-in responder');
  await page.screenshot({ path: `${SHOTS}/mc-live-receipt.png` });
});

it('screenshots: Catalog and Business profile at 1280 and 390 px, light and dark, English and Italian', async () => {
  // A draft with a price change and a new item, so the pages show the editor and its diff.
  const draft = (await (await mc.bob.send('POST', '/api/catalog/versions', undefined, owner.bearer)).json()) as { version: number; items: { id: string; price: number | null }[] };
  const items = draft.items.map((i) => (i.id === 'tax-return' ? { ...i, price: 195 } : i));
  items.push({ id: 'diavola', name: 'Diavola', category: 'Pizza', description: null, unit: 'each', price: 9.5, options: [], available: true } as never);
  expect((await mc.bob.send('PUT', `/api/catalog/versions/${draft.version}`, { items }, owner.bearer)).status).toBe(200);
  for (const lang of ['en', 'it'] as const) {
    await context?.close();
    // The browser's locale too: time and date inputs follow it, not the page.
    context = await mc.browser.newContext({ viewport: { width: 1280, height: 800 }, locale: lang === 'en' ? 'en-US' : 'it-IT' });
    const page = await context.newPage();
    await page.goto(`${mc.bob.url}/app/#/catalog`);
    await page.getByLabel('Email').fill(DEMO_OWNER.email);
    await page.getByLabel('Password').fill(DEMO_OWNER.password);
    await page.getByRole('button', { name: /Sign in|Accedi/ }).click();
    for (const [name, heading] of [
      ['catalog', lang === 'en' ? 'Published version 2' : 'Versione pubblicata 2'],
      ['profile', lang === 'en' ? 'Business profile' : 'Profilo attività'],
    ] as const) {
      await page.goto(`${mc.bob.url}/app/#/${name}`);
      await page.getByRole('heading', { name: heading }).first().waitFor();
      await screenshotPageViews(page, name, lang);
    }
  }
});

it('the onboarding wizard\'s optional step sets the opening hours and publishes a first few items', async () => {
  await mc.bob.send('PATCH', '/api/tenant', { settings: { onboarded: false, hours: null } }, owner.bearer);
  const page = await signIn('');
  await page.getByRole('heading', { name: 'Set up Bob for your site' }).waitFor();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('What should it say first? (English)').fill('Hi! I am Bob.');
  await page.getByRole('button', { name: 'Add hours and a first few items' }).click();
  await page.getByText('Optional step').waitFor();
  await page.getByLabel('Monday, hours 1: Opens').fill('07:00');
  await page.getByRole('button', { name: 'Copy Monday to weekdays' }).click();
  await page.getByLabel('Item 1 name').fill('Espresso');
  await page.getByLabel('Item 1 price').fill('1.20');
  await page.getByLabel('Item 2 name').fill('Catering');
  await page.screenshot({ path: `${SHOTS}/onboarding-extras.png`, fullPage: true });
  await page.getByRole('button', { name: 'Finish and get the snippet' }).click();
  await page.getByTestId('snippet').waitFor();

  const live = await published();
  expect(live.items.slice(-2)).toMatchObject([{ name: 'Espresso', price: 1.2 }, { name: 'Catering', price: null }]);
  expect(live.items.map((i) => i.name)).toContain('Margherita');
  const tenant = (await (await mc.bob.fetch('/api/tenant', { headers: owner.bearer })).json()) as Tenant;
  expect(tenant.settings.hours).toMatchObject({ mon: [['07:00', '18:00']], fri: [['07:00', '18:00']], sat: [] });
});
