import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CATALOG } from '../../src/server/modules/demo/demo.seed';
import { records } from '../helpers/db';
import { eventually } from '../helpers/eventually';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';
import { secondBusiness } from '../helpers/demo';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

interface Item {
  id: string;
  name: string;
  category: string | null;
  description: string | null;
  unit: string | null;
  price: number | null;
  options: { name: string; price: number }[];
  available: boolean;
}
interface Version {
  version: number;
  status: string;
  currency: string;
  items: Item[];
  published_at: string | null;
}
interface Problem {
  line: number;
  column: string | null;
  message: string;
}

const HEADER = 'category,name,description,unit,price,available';

let server: TestServer;
let admin: Session;
let owner: Session;
let receiver: Receiver | undefined;
beforeEach(async () => {
  server = await startTestServer({ env: { BOB_ALLOW_PRIVATE_WEBHOOKS: '1', BOB_WEBHOOK_RETRY_SCHEDULE: '50ms,100ms' } });
  admin = await login(server, DEMO_ADMIN);
  owner = await login(server, DEMO_OWNER);
});
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
  await server.close();
});

const tenantId = async (slug: string) => (await records(server).tenant(slug))!.id;
const json = async <T>(res: Response, status: number): Promise<T> => {
  expect(res.status, await res.clone().text()).toBe(status);
  return res.json() as Promise<T>;
};
const getVersion = async (v: number, who = owner, query = '') => json<Version>(await server.fetch(`/api/catalog/versions/${v}${query}`, { headers: who.bearer }), 200);
const newDraft = async (who = owner, query = '') => json<Version>(await server.send('POST', `/api/catalog/versions${query}`, {}, who.bearer), 201);
const importCsv = (v: number, body: string | Buffer, who = owner, type = 'text/csv') =>
  server.fetch(`/api/catalog/versions/${v}/import`, { method: 'POST', headers: { ...who.bearer, 'Content-Type': type }, body: typeof body === 'string' ? body : new Uint8Array(body) });
const audits = async (who = owner, query = '') =>
  (await json<{ data: { action: string; target_id: string; before: Version | null; after: Version | null }[] }>(await server.fetch(`/api/audit?action=catalog.${query}`, { headers: who.bearer }), 200)).data;

const createBusiness = (slug: string) => secondBusiness(server, admin, slug);

describe('GET /api/catalog (public)', () => {
  it('serves the demo business\'s published catalog by slug or id, cacheable for a minute', async () => {
    for (const ref of ['business-co', await tenantId('business-co')]) {
      const res = await server.fetch(`/api/catalog?business_id=${ref}`);
      expect(res.headers.get('cache-control')).toBe('public, max-age=60');
      const body = await json<{ business_id: string; version: number; currency: string; published_at: string; items: Item[] }>(res, 200);
      expect(body).toMatchObject({ business_id: await tenantId('business-co'), version: 1, currency: 'EUR', published_at: expect.any(String) });
      expect(body.items).toEqual(DEMO_CATALOG.items);
    }
    const items = DEMO_CATALOG.items;
    expect(items.find((i) => i.name === 'Payroll')).toMatchObject({ price: 120, unit: 'per month', options: [{ name: 'up to 5 employees', price: 120 }, { name: '6–20 employees', price: 240 }] });
    expect(items.find((i) => i.name === 'Company formation')!.price).toBeNull();
    expect(items.find((i) => i.name === 'Business plan review')).toMatchObject({ price: 150, available: false });
  });

  it('answers version null and no items before a first publish, 404 unknown_business, 400 without business_id', async () => {
    await createBusiness('pasticceria-rossi');
    for (const slug of ['pasticceria-rossi', 'office16852-platform']) {
      const empty = await json<object>(await server.fetch(`/api/catalog?business_id=${slug}`), 200);
      expect(empty).toEqual({ business_id: await tenantId(slug), version: null, currency: 'EUR', published_at: null, items: [] });
    }
    const unknown = await json<{ error: { code: string } }>(await server.fetch('/api/catalog?business_id=nobody-here'), 404);
    expect(unknown.error.code).toBe('unknown_business');
    expect((await server.fetch('/api/catalog')).status).toBe(400);
    expect((await server.fetch('/api/catalog?business_id=business-co&x=1')).status).toBe(400);
  });
});

describe('catalog versions', () => {
  it('are for owners and admins only: 401 anonymous, 403 agents, 404 for another business; admins name one by id or slug', async () => {
    const added = await server.send('POST', '/api/team', { email: 'agent@business.com', name: 'Agent', role: 'agent', password: 'agent-password-1' }, owner.bearer);
    expect(added.status).toBe(201);
    const agent = await login(server, { email: 'agent@business.com', password: 'agent-password-1' });
    const routes: [string, string][] = [
      ['GET', '/api/catalog/versions'],
      ['POST', '/api/catalog/versions'],
      ['GET', '/api/catalog/versions/1'],
      ['PUT', '/api/catalog/versions/1'],
      ['POST', '/api/catalog/versions/1/publish'],
      ['POST', '/api/catalog/versions/1/import'],
      ['GET', '/api/catalog/versions/1/export'],
    ];
    for (const [method, path] of routes) {
      const body = method === 'GET' ? undefined : '{}';
      const anon = await server.fetch(path, { method, body, headers: { 'Content-Type': 'application/json' } });
      expect(`${method} ${path} → ${anon.status}`).toBe(`${method} ${path} → 401`);
      const asAgent = await server.fetch(path, { method, body, headers: { 'Content-Type': 'application/json', ...agent.bearer } });
      expect(`${method} ${path} → ${asAgent.status}`).toBe(`${method} ${path} → 403`);
      // An owner naming another business gets the same 404 as a missing one.
      const other = await server.fetch(`${path}?business_id=office16852-platform`, { method, body, headers: { 'Content-Type': 'application/json', ...owner.bearer } });
      expect(`${method} ${path} → ${other.status}`).toBe(`${method} ${path} → 404`);
    }

    const own = await json<{ data: Version[] }>(await server.fetch('/api/catalog/versions?business_id=business-co', { headers: owner.bearer }), 200);
    expect(own.data.map((v) => [v.version, v.status])).toEqual([[1, 'published']]);
    for (const ref of ['business-co', await tenantId('business-co')]) {
      const viaAdmin = await json<{ data: Version[] }>(await server.fetch(`/api/catalog/versions?business_id=${ref}`, { headers: admin.bearer }), 200);
      expect(viaAdmin.data).toEqual(own.data);
    }
    // The admin's own tenant (the platform) has no catalog: business-co's is not leaked into it.
    expect((await json<{ data: Version[] }>(await server.fetch('/api/catalog/versions', { headers: admin.bearer }), 200)).data).toEqual([]);
    const draft = await newDraft(admin, '?business_id=business-co');
    expect(draft).toMatchObject({ version: 2, status: 'draft', currency: 'EUR' });
    expect((await getVersion(2)).items).toEqual(DEMO_CATALOG.items);
  });

  it('go draft → publish → immutable (409 catalog_immutable), one draft at a time (409 catalog_draft_exists)', async () => {
    const v2 = await newDraft();
    expect(v2).toMatchObject({ version: 2, status: 'draft', currency: 'EUR', published_at: null });
    expect(v2.items).toEqual(DEMO_CATALOG.items);
    const again = await json<{ error: { code: string; message: string; details: { version: number } } }>(await server.send('POST', '/api/catalog/versions', {}, owner.bearer), 409);
    expect(again.error).toMatchObject({ code: 'catalog_draft_exists', details: { version: 2 } });
    expect(again.error.message).toContain('Version 2');

    // Items keep their ids; new ones get a slug of their name, unique with -2, -3…
    const items = [
      ...v2.items.filter((i) => i.id !== 'company-formation'),
      { name: 'Tax return', category: 'Consulting', price: 200 },
      { name: 'Tax return', category: 'Other', price: 210, unit: 'each' },
      { name: 'Caffè & brioche', price: 3.5, options: [{ name: 'con crema', price: 4 }], available: false },
    ];
    const edited = await json<Version>(await server.send('PUT', '/api/catalog/versions/2', { currency: 'CHF', items }, owner.bearer), 200);
    expect(edited.currency).toBe('CHF');
    expect(edited.items.map((i) => i.id)).toEqual(['initial-consultation', 'monthly-bookkeeping', 'tax-return', 'payroll', 'business-plan-review', 'tax-return-2', 'tax-return-3', 'caffe-brioche']);
    expect(edited.items.at(-1)).toEqual({ id: 'caffe-brioche', name: 'Caffè & brioche', category: null, description: null, unit: null, price: 3.5, options: [{ name: 'con crema', price: 4 }], available: false });
    expect(await getVersion(2)).toEqual(edited);
    for (const bad of [{ currency: 'EURO' }, { currency: 'XYZ' }, { items: [{ name: 'x', price: -1 }] }, { items: [{ name: 'x', price: 1.234 }] }, { items: [{ id: 'a', name: 'x', price: 1 }, { id: 'a', name: 'y', price: 1 }] }, { status: 'published' }]) {
      expect((await server.send('PUT', '/api/catalog/versions/2', bad, owner.bearer)).status, JSON.stringify(bad)).toBe(400);
    }

    const immutable = await json<{ error: { code: string } }>(await server.send('PUT', '/api/catalog/versions/1', { items: [] }, owner.bearer), 409);
    expect(immutable.error.code).toBe('catalog_immutable');
    expect((await server.send('PUT', '/api/catalog/versions/99', { items: [] }, owner.bearer)).status).toBe(404);
    expect((await server.fetch('/api/catalog/versions/99', { headers: owner.bearer })).status).toBe(404);

    const published = await json<Version>(await server.send('POST', '/api/catalog/versions/2/publish', {}, owner.bearer), 200);
    expect(published).toMatchObject({ version: 2, status: 'published', published_at: expect.any(String), currency: 'CHF' });
    const pub = await json<{ version: number; currency: string; items: Item[] }>(await server.fetch('/api/catalog?business_id=business-co'), 200);
    expect(pub).toMatchObject({ version: 2, currency: 'CHF' });
    expect(pub.items).toEqual(edited.items);
    for (const v of [1, 2]) {
      expect((await json<{ error: { code: string } }>(await server.send('PUT', `/api/catalog/versions/${v}`, { items: [] }, owner.bearer), 409)).error.code).toBe('catalog_immutable');
      expect((await json<{ error: { code: string } }>(await server.send('POST', `/api/catalog/versions/${v}/publish`, {}, owner.bearer), 409)).error.code).toBe('catalog_immutable');
    }
    const list = await json<{ data: Version[] }>(await server.fetch('/api/catalog/versions', { headers: owner.bearer }), 200);
    expect(list.data.map((v) => [v.version, v.status])).toEqual([[2, 'published'], [1, 'archived']]);
    // A new draft copies the newly published version.
    expect((await newDraft()).items).toEqual(edited.items);
  });

  it('start empty in EUR for a business with nothing published', async () => {
    const anna = await createBusiness('pasticceria-rossi');
    expect(await newDraft(anna)).toMatchObject({ version: 1, status: 'draft', currency: 'EUR', items: [] });
    await server.send('PUT', '/api/catalog/versions/1', { items: [{ name: 'Cannolo', price: 2.5, unit: 'each' }] }, anna.bearer);
    await json(await server.send('POST', '/api/catalog/versions/1/publish', {}, anna.bearer), 200);
    const pub = await json<{ version: number; items: Item[] }>(await server.fetch('/api/catalog?business_id=pasticceria-rossi'), 200);
    expect(pub.version).toBe(1);
    expect(pub.items.map((i) => i.id)).toEqual(['cannolo']);
    // Each business's versions are its own.
    expect((await json<{ version: number }>(await server.fetch('/api/catalog?business_id=business-co'), 200)).version).toBe(1);
  });

  it('publishing sends catalog.published to the business\'s webhook (not to other tenants\') and is audited with before and after', async () => {
    receiver = await startReceiver();
    const endpoint = await json<{ id: string; secret: string }>(await server.send('POST', '/api/webhooks', { url: receiver.url, events: ['catalog.published'] }, owner.bearer), 201);
    receiver.trust(endpoint.secret);
    const platform = await json<{ id: string }>(await server.send('POST', '/api/webhooks', { url: 'http://127.0.0.1:9/elsewhere', events: ['catalog.published'], enabled: false }, admin.bearer), 201);

    const draft = await newDraft();
    const items = draft.items.map((i) => (i.id === 'tax-return' ? { ...i, price: 190 } : i));
    await json(await server.send('PUT', '/api/catalog/versions/2', { items }, owner.bearer), 200);
    await json(await server.send('POST', '/api/catalog/versions/2/publish', {}, owner.bearer), 200);

    const [got] = await eventually(() => receiver!.received.length >= 1 && receiver!.received, 5000, 'catalog.published delivery');
    expect(got).toMatchObject({ type: 'catalog.published', verifiedWith: endpoint.secret });
    expect(got!.data).toMatchObject({ version: 2, previous_version: 1, catalog: { version: 2, status: 'published', currency: 'EUR' } });
    expect((got!.data.catalog as Version).items.find((i) => i.id === 'tax-return')!.price).toBe(190);
    expect(await records(server).deliveriesTo(platform.id)).toHaveLength(0);

    const entries = await audits();
    expect(entries.map((e) => [e.action, e.target_id])).toEqual([
      ['catalog.published', '2'],
      ['catalog.draft_updated', '2'],
      ['catalog.draft_created', '2'],
    ]);
    const publish = entries[0]!;
    expect(publish.before).toMatchObject({ version: 1, status: 'published' });
    expect(publish.after).toMatchObject({ version: 2, status: 'published' });
    const update = entries[1]!;
    expect(update.before!.items.find((i) => i.id === 'tax-return')!.price).toBe(180);
    expect(update.after!.items.find((i) => i.id === 'tax-return')!.price).toBe(190);
  });
});

describe('CSV import and export', () => {
  it('imports quoted fields (commas, quotes, newlines), a BOM and Italian text; matching items keep id and options', async () => {
    await newDraft();
    const csv =
      '\ufeff' +
      [
        HEADER,
        'Accounting,Payroll,"Buste paga, F24 e ""cedolini""\nogni mese",per month,130,sì',
        'consulting,INITIAL CONSULTATION,,per hour,95.50,YES',
        'Pasticceria,"Caffè, cornetto",Colazione all\'italiana,each,,No',
        '',
        'Pasticceria,Torta di compleanno,,al kg,28,',
        'Accounting,Tax return,,each,180,0',
      ].join('\r\n') +
      '\r\n';
    const imported = await json<Version>(await importCsv(2, csv), 200);
    expect(imported.items).toEqual([
      { id: 'payroll', name: 'Payroll', category: 'Accounting', description: 'Buste paga, F24 e "cedolini"\nogni mese', unit: 'per month', price: 130, options: DEMO_CATALOG.items.find((i) => i.id === 'payroll')!.options, available: true },
      { id: 'initial-consultation', name: 'INITIAL CONSULTATION', category: 'consulting', description: null, unit: 'per hour', price: 95.5, options: [], available: true },
      { id: 'caffe-cornetto', name: 'Caffè, cornetto', category: 'Pasticceria', description: "Colazione all'italiana", unit: 'each', price: null, options: [], available: false },
      { id: 'torta-di-compleanno', name: 'Torta di compleanno', category: 'Pasticceria', description: null, unit: 'al kg', price: 28, options: [], available: true },
      { id: 'tax-return', name: 'Tax return', category: 'Accounting', description: null, unit: 'each', price: 180, options: [], available: false },
    ]);
    expect(await getVersion(2)).toEqual(imported);
    const [entry] = await audits();
    expect(entry).toMatchObject({ action: 'catalog.imported', target_id: '2' });
    expect(entry!.before!.items).toEqual(DEMO_CATALOG.items);
    expect(entry!.after!.items).toEqual(imported.items);

    // Without a BOM, LF line ends, and a header in another case: the same file.
    const plain = `Category,Name,Description,Unit,Price,Available\nConsulting,Initial consultation,,per hour,90,si\n`;
    expect((await json<Version>(await importCsv(2, plain), 200)).items).toEqual([
      { id: 'initial-consultation', name: 'Initial consultation', category: 'Consulting', description: null, unit: 'per hour', price: 90, options: [], available: true },
    ]);
  });

  it('refuses a bad file with 400 invalid_csv naming the line and the column, and changes nothing', async () => {
    await newDraft();
    const before = await getVersion(2);
    const cases: { csv: string; line: number; column: string | null; message: RegExp }[] = [
      {
        // Lines 2–3 are one row (a quoted newline): the bad row starts on line 4.
        csv: `${HEADER}\nConsulting,Audit,"two\nlines",each,8.50,yes\nConsulting,Pasta,,each,"8,50",yes\n`,
        line: 4,
        column: 'price',
        message: /^line 4, column price: "8,50" is not a number \(use \. for decimals\)/,
      },
      { csv: `${HEADER}\nConsulting,Audit,,each,-3,yes\n`, line: 2, column: 'price', message: /line 2, column price: .*negative/ },
      { csv: `${HEADER}\nConsulting,Audit,,each,ten,yes\n`, line: 2, column: 'price', message: /"ten" is not a number/ },
      { csv: `${HEADER}\nConsulting,Audit,,each,1.234,yes\n`, line: 2, column: 'price', message: /two decimals/ },
      { csv: `${HEADER}\n\nConsulting,Audit,,each,10,maybe\n`, line: 3, column: 'available', message: /line 3, column available: "maybe"/ },
      { csv: `${HEADER}\nConsulting,,,each,10,yes\n`, line: 2, column: 'name', message: /line 2, column name: an item needs a name/ },
      { csv: 'category,name,description,unit,price\nConsulting,Audit,,each,10\n', line: 1, column: 'available', message: /line 1, column available: the header has no "available" column/ },
      { csv: 'category,name,description,unit,prezzo,available\nConsulting,Audit,,each,10,yes\n', line: 1, column: 'price', message: /line 1, column price: the header has "prezzo"/ },
      { csv: 'Consulting,Audit,,each,10,yes\n', line: 1, column: 'category', message: /line 1, column category/ },
      { csv: `${HEADER}\nConsulting,Audit,,each,10\n`, line: 2, column: 'available', message: /5 fields, 6 expected/ },
      { csv: `${HEADER}\nConsulting,Audit, with a comma,each,10,yes,x\n`, line: 2, column: null, message: /7 fields, 6 expected/ },
      { csv: `${HEADER}\nConsulting,"Audit,,each,10,yes\n`, line: 2, column: null, message: /quoted field is never closed/ },
      { csv: '', line: 1, column: null, message: /empty/ },
    ];
    for (const c of cases) {
      const res = await importCsv(2, c.csv);
      const body = await json<{ error: { code: string; message: string; details: Problem[] } }>(res, 400);
      expect(body.error.code, c.csv).toBe('invalid_csv');
      expect(body.error.message, c.csv).toMatch(c.message);
      expect(body.error.details[0], c.csv).toMatchObject({ line: c.line, column: c.column });
    }
    // Every problem is listed, not only the first.
    const many = await json<{ error: { message: string; details: Problem[] } }>(await importCsv(2, `${HEADER}\nA,x,,,"8,50",yes\nA,y,,,1,forse\n`), 400);
    expect(many.error.details.map((p) => [p.line, p.column])).toEqual([[2, 'price'], [3, 'available']]);
    expect(many.error.message).toMatch(/and 1 more/);
    // Not UTF-8 (Latin-1 "è").
    const latin1 = Buffer.concat([Buffer.from(`${HEADER}\nA,caff`), Buffer.from([0xe8]), Buffer.from(',,,1,yes\n')]);
    expect((await json<{ error: { code: string; message: string } }>(await importCsv(2, latin1), 400)).error.message).toMatch(/UTF-8/);

    expect(await getVersion(2)).toEqual(before);
    expect((await audits()).map((e) => e.action)).not.toContain('catalog.imported');
  });

  it('takes only text/csv up to 1 MB, and only into a draft', async () => {
    await newDraft();
    const wrongType = await json<{ error: { code: string } }>(await importCsv(2, `${HEADER}\n`, owner, 'application/json'), 415);
    expect(wrongType.error.code).toBe('unsupported_media_type');
    const big = `${HEADER}\n${'Consulting,Audit,,each,10,yes\n'.repeat(40_000)}`;
    const tooBig = await json<{ error: { code: string } }>(await importCsv(2, big), 413);
    expect(tooBig.error.code).toBe('payload_too_large');
    const tooMany = `${HEADER}\n${Array.from({ length: 1001 }, (_, i) => `A,Item ${i},,,1,yes`).join('\n')}\n`;
    expect((await json<{ error: { details: Problem[] } }>(await importCsv(2, tooMany), 400)).error.details[0]).toMatchObject({ line: 1002 });
    const valid = `${HEADER}\nConsulting,Audit,,each,10,yes\n`;
    expect((await json<{ error: { code: string } }>(await importCsv(1, valid), 409)).error.code).toBe('catalog_immutable');
    expect((await importCsv(99, valid)).status).toBe(404);
    expect((await getVersion(2)).items).toEqual(DEMO_CATALOG.items);
  });

  it('exports a version as CSV that imports back unchanged', async () => {
    const res = await server.fetch('/api/catalog/versions/1/export', { headers: owner.bearer });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="catalog-v1.csv"');
    const v1csv = Buffer.from(await res.arrayBuffer());
    const text = v1csv.toString('utf8');
    expect(text.startsWith(`\ufeff${HEADER}\r\n`)).toBe(true);
    expect(text).toContain('Consulting,Company formation,,,,true\r\n');
    expect(text).toContain('Consulting,Business plan review,,each,150,false\r\n');

    // Into a copy of V1: the same items, ids and options included.
    await newDraft();
    expect((await json<Version>(await importCsv(2, v1csv), 200)).items).toEqual(DEMO_CATALOG.items);

    const tricky = [
      { name: 'Caffè "speciale", doppio', category: 'Bar, caffetteria', description: 'Riga uno\nRiga due, con "virgolette"', unit: 'la tazza', price: 1.2, options: [{ name: 'decaffeinato', price: 1.3 }] },
      { name: 'Torta', category: null, description: null, unit: null, price: null, available: false },
      { name: '=SUM(A1)', price: 0 },
    ];
    const edited = await json<Version>(await server.send('PUT', '/api/catalog/versions/2', { items: tricky }, owner.bearer), 200);
    const exported = await server.fetch('/api/catalog/versions/2/export', { headers: owner.bearer });
    expect(exported.headers.get('content-disposition')).toBe('attachment; filename="catalog-v2.csv"');
    const roundTrip = await json<Version>(await importCsv(2, Buffer.from(await exported.arrayBuffer())), 200);
    expect(roundTrip.items).toEqual(edited.items);
    expect((await server.fetch('/api/catalog/versions/99/export', { headers: owner.bearer })).status).toBe(404);
  });
});
