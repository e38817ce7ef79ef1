import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { makePdf } from '../helpers/pdf';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';
import { streamedPost } from '../helpers/streamed-post';
import { withoutDemoKnowledge } from '../helpers/demo';
import { records } from '../helpers/db';

interface Doc { id: string; title: string; type: string; size: number; chunks: number; source_url: string | null; fetched_at: string | null; updated_at: string }

let server: TestServer;
let owner: Session;

const upload = (filename: string, data: Buffer | string, who: Session = owner, title?: string) => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(typeof data === 'string' ? Buffer.from(data) : data)]), filename);
  if (title !== undefined) form.append('title', title);
  return server.fetch('/api/knowledge', { method: 'POST', headers: who.bearer, body: form });
};
const get = async <T>(path: string, who: Session = owner) => (await server.fetch(path, { headers: who.bearer })).json() as Promise<T>;
const errorOf = async (res: Response) => ((await res.json()) as { error: { code: string; message: string } }).error;

/** A multipart upload of `size` bytes, streamed: the server may answer before it is all sent. */
function uploadRaw(size: number) {
  const boundary = 'bobtestboundary';
  const head = Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.txt"\r\nContent-Type: text/plain\r\n\r\n`);
  const payload = Buffer.concat([head, Buffer.alloc(size, 'a'), Buffer.from(`\r\n--${boundary}--\r\n`)]);
  return streamedPost(new URL('/api/knowledge', server.url), payload, { 'Content-Type': `multipart/form-data; boundary=${boundary}`, ...owner.bearer });
}

describe('knowledge documents', () => {
  beforeEach(async () => {
    server = await startTestServer();
    owner = await login(server, DEMO_OWNER);
    await withoutDemoKnowledge(server, owner);
  });
  afterEach(() => server.close());

  it('take Markdown, HTML and PDF uploads, typed by their content, with their readable text', async () => {
    const md = await upload('delivery-terms.md', '# Delivery terms\n\n- We deliver within 5 km of the shop.\n- The zebra van leaves at noon every Tuesday.\n');
    expect(md.status).toBe(201);
    expect(await md.json()).toMatchObject({ title: 'delivery-terms', type: 'markdown', chunks: 1, source_url: null, fetched_at: null });

    const html = await upload(
      'returns.html',
      `<!doctype html><html><head><title>Returns</title><script>var secret = "tracking-code";</script></head><body>
       <nav><a href="/">Home</a> <a href="/shop">Shop nav link</a></nav>
       <h1>Returns policy</h1><p>Unopened jars of honey can be returned within 14 days.</p><img src="jar.png" alt="jar">
       <footer>Footer text</footer></body></html>`,
    );
    expect(html.status).toBe(201);
    const htmlDoc = (await html.json()) as Doc;
    expect(htmlDoc).toMatchObject({ title: 'returns', type: 'html', chunks: 1 });

    const pdfBytes = makePdf(['Opening hours', '', 'The bakery opens at 6:30 on Sundays for fresh cornetti.'], { title: 'Hours (PDF)' });
    const pdf = await upload('hours.pdf', pdfBytes);
    expect(pdf.status).toBe(201);
    const pdfDoc = (await pdf.json()) as Doc;
    expect(pdfDoc).toMatchObject({ title: 'hours', type: 'pdf', size: pdfBytes.length, chunks: 1 });

    // Content, not the name: PDF bytes called .txt are a PDF; an explicit title wins.
    const disguised = await upload('notes.txt', makePdf(['Disguised PDF sentence about parking.']), owner, 'Parking notes');
    expect(await disguised.json()).toMatchObject({ title: 'Parking notes', type: 'pdf' });

    const list = await get<{ data: Doc[]; next_cursor: null }>('/api/knowledge');
    expect(list.data.map((d) => [d.title, d.type])).toEqual([
      ['Parking notes', 'pdf'],
      ['hours', 'pdf'],
      ['returns', 'html'],
      ['delivery-terms', 'markdown'],
    ]);
    expect(list.data.every((d) => d.size > 0 && d.chunks === 1 && !('content' in d))).toBe(true);

    const byTitle = Object.fromEntries(list.data.map((d) => [d.title, d.id]));
    const content = async (title: string) => (await get<{ content: string }>(`/api/knowledge/${byTitle[title]}`)).content;
    expect(await content('delivery-terms')).toContain('The zebra van leaves at noon every Tuesday.');
    const returns = await content('returns');
    expect(returns).toContain('# Returns policy\n\nUnopened jars of honey can be returned within 14 days.');
    for (const gone of ['tracking-code', 'Shop nav link', 'Footer text', 'jar.png', '/shop']) expect(returns).not.toContain(gone);
    expect(await content('hours')).toBe('Opening hours\n\nThe bakery opens at 6:30 on Sundays for fresh cornetti.');
    expect(await content('Parking notes')).toContain('Disguised PDF sentence about parking.');

    // The passages the responder reads are stored with the documents.
    const passages = (await records(server).passages()).length;
    expect(passages).toBe(4);
  });

  it('are created from JSON, edited (split again) and deleted, audited without their text', async () => {
    const created = await server.send('POST', '/api/knowledge', { title: 'Short note', content: 'We close in August.' }, owner.bearer);
    expect(created.status).toBe(201);
    const doc = (await created.json()) as Doc;
    expect(doc).toMatchObject({ title: 'Short note', type: 'markdown', size: 19, chunks: 1 });

    const long = Array.from({ length: 6 }, (_, i) => `## Part ${i + 1}\n` + `Paragraph ${i + 1} explains one more detail of the summer closing, in plenty of words. `.repeat(3)).join('\n\n');
    const edited = await server.send('PUT', `/api/knowledge/${doc.id}`, { content: long }, owner.bearer);
    expect(edited.status).toBe(200);
    const editedDoc = (await edited.json()) as Doc;
    expect(editedDoc).toMatchObject({ title: 'Short note', chunks: 6 });
    expect(editedDoc.size).toBe(Buffer.byteLength((await get<{ content: string }>(`/api/knowledge/${doc.id}`)).content));
    expect((await records(server).passages()).filter((p) => p.documentId === doc.id)).toHaveLength(6);

    const renamed = await server.send('PUT', `/api/knowledge/${doc.id}`, { title: 'Summer closing' }, owner.bearer);
    expect(await renamed.json()).toMatchObject({ title: 'Summer closing', chunks: 6 });
    expect((await server.send('PUT', `/api/knowledge/${doc.id}`, {}, owner.bearer)).status).toBe(400);

    expect((await server.fetch(`/api/knowledge/${doc.id}`, { method: 'DELETE', headers: owner.bearer })).status).toBe(204);
    expect((await server.fetch(`/api/knowledge/${doc.id}`, { headers: owner.bearer })).status).toBe(404);
    expect(await records(server).passages()).toHaveLength(0);

    const audit = (await records(server).audit()).filter((a) => a.action.startsWith('knowledge.') && a.target_id === doc.id);
    expect(audit.map((a) => a.action)).toEqual(['knowledge.created', 'knowledge.updated', 'knowledge.updated', 'knowledge.deleted']);
    expect(audit.every((a) => a.target_type === 'knowledge')).toBe(true);
    expect(JSON.parse(audit[1]!.after!)).toEqual({ title: 'Short note', type: 'markdown', size: editedDoc.size, chunks: 6 });
    expect(audit.some((a) => `${a.before}${a.after}`.includes('summer closing, in plenty'))).toBe(false);
  });

  it('refuse what Bob cannot read', async () => {
    const binary = await upload('photo.md', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52]));
    expect(binary.status).toBe(415);
    expect(await errorOf(binary)).toEqual({ code: 'unsupported_media_type', message: 'Upload Markdown, plain text, HTML or PDF' });

    for (const empty of ['', '   \n\n\t  ']) {
      const res = await upload('empty.txt', empty);
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toEqual({ code: 'no_text', message: 'This document has no text Bob can read (a scanned PDF needs OCR first)' });
    }
    const scanned = await upload('scan.pdf', makePdf([]));
    expect((await errorOf(scanned)).code).toBe('no_text');
    expect((await errorOf(await upload('page.html', '<html><body><script>x()</script></body></html>'))).code).toBe('no_text');

    const big = await uploadRaw(5 * 1024 * 1024 + 1);
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).error.code).toBe('payload_too_large');

    expect((await server.fetch('/api/knowledge', { method: 'POST', headers: { ...owner.bearer, 'Content-Type': 'text/plain' }, body: 'hello' })).status).toBe(415);
    const noFile = new FormData();
    noFile.append('title', 'Nothing attached');
    expect((await server.fetch('/api/knowledge', { method: 'POST', headers: owner.bearer, body: noFile })).status).toBe(400);
    expect((await server.send('POST', '/api/knowledge', { title: 'x', content: '   ' }, owner.bearer)).status).toBe(400);
    expect((await get<{ data: Doc[] }>('/api/knowledge')).data).toEqual([]);
  });

  it('stay inside their business and need catalog.manage', async () => {
    const admin = await login(server, DEMO_ADMIN);
    const theirs = (await (await server.send('POST', '/api/knowledge', { title: 'Platform notes', content: 'Only for the platform.' }, admin.bearer)).json()) as Doc;
    expect((await server.fetch(`/api/knowledge/${theirs.id}`, { headers: owner.bearer })).status).toBe(404);
    expect((await server.send('PUT', `/api/knowledge/${theirs.id}`, { title: 'Mine now' }, owner.bearer)).status).toBe(404);
    expect((await server.fetch(`/api/knowledge/${theirs.id}`, { method: 'DELETE', headers: owner.bearer })).status).toBe(404);
    expect((await server.fetch(`/api/knowledge/${theirs.id}/refetch`, { method: 'POST', headers: owner.bearer })).status).toBe(404);
    expect((await get<{ data: Doc[] }>('/api/knowledge')).data).toEqual([]);
    // A platform admin works on a business through business_id.
    expect((await server.send('POST', '/api/knowledge?business_id=business-co', { title: 'Added by the platform', content: 'Hello.' }, admin.bearer)).status).toBe(201);
    expect((await get<{ data: Doc[] }>('/api/knowledge')).data.map((d) => d.title)).toEqual(['Added by the platform']);

    expect((await server.send('POST', '/api/team', { email: 'agent@business.com', name: 'Agent', role: 'agent', password: 'agent-password-1' }, owner.bearer)).status).toBe(201);
    const agent = await login(server, { email: 'agent@business.com', password: 'agent-password-1' });
    expect((await server.fetch('/api/knowledge', { headers: agent.bearer })).status).toBe(403);
    expect((await upload('a.md', '# A', agent)).status).toBe(403);
  });
});

describe('imported pages', () => {
  let site: http.Server;
  let elsewhere: http.Server;
  let siteOrigin: string;
  let elsewhereOrigin: string;
  let menu = '<html><head><title>Our menu</title></head><body><nav>Menu nav</nav><h1>Menu</h1><p>The saffron risotto is served on Fridays.</p></body></html>';
  const hanging = new Set<http.ServerResponse>();
  const listen = (s: http.Server) => new Promise<string>((r) => s.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(s.address() as AddressInfo).port}`)));

  beforeAll(async () => {
    site = http.createServer((req, res) => {
      if (req.url === '/menu') return void res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(menu);
      if (req.url === '/old-menu') return void res.writeHead(301, { location: '/menu' }).end();
      if (req.url === '/partner') return void res.writeHead(302, { location: `${elsewhereOrigin}/menu` }).end();
      if (req.url === '/slow') {
        res.writeHead(200, { 'content-type': 'text/html' }).write('<p>Loading');
        return void hanging.add(res);
      }
      res.writeHead(404).end();
    });
    elsewhere = http.createServer((_req, res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<p>Another site entirely.</p>'));
    siteOrigin = await listen(site);
    elsewhereOrigin = await listen(elsewhere);
  });
  afterAll(async () => {
    for (const r of hanging) r.destroy();
    await new Promise((r) => site.close(r));
    await new Promise((r) => elsewhere.close(r));
  });

  /** Business Co's widget key allows exactly the local site. */
  /** Bob whose demo business has no documents and allows only the local site as its widget origin. */
  async function startAllowingOnlySite(env: Record<string, string> = {}) {
    server = await startTestServer({ env });
    owner = await login(server, DEMO_OWNER);
    await withoutDemoKnowledge(server, owner);
    const keys = await get<{ data: { id: string }[] }>('/api/widget-keys');
    const res = await server.send('PATCH', `/api/widget-keys/${keys.data[0]!.id}`, { allowed_origins: [siteOrigin] }, owner.bearer);
    expect(res.status).toBe(200);
  }

  describe('with local sites allowed', () => {
    beforeEach(() => startAllowingOnlySite({ BOB_ALLOW_PRIVATE_WEBHOOKS: '1', BOB_KNOWLEDGE_FETCH_TIMEOUT: '700ms' }));
    afterEach(() => server.close());

    it('import a page of an allowed origin and fetch it again', async () => {
      const res = await server.send('POST', '/api/knowledge/import', { url: `${siteOrigin}/old-menu` }, owner.bearer);
      expect(res.status).toBe(201);
      const doc = (await res.json()) as Doc;
      expect(doc).toMatchObject({ title: 'Our menu', type: 'html', source_url: `${siteOrigin}/old-menu`, chunks: 1 });
      expect(doc.fetched_at).not.toBeNull();
      const detail = await get<{ content: string }>(`/api/knowledge/${doc.id}`);
      expect(detail.content).toBe('# Menu\n\nThe saffron risotto is served on Fridays.');

      menu = menu.replace('Fridays', 'Saturdays');
      const again = await server.fetch(`/api/knowledge/${doc.id}/refetch`, { method: 'POST', headers: owner.bearer });
      expect(again.status).toBe(200);
      expect((await get<{ content: string }>(`/api/knowledge/${doc.id}`)).content).toContain('served on Saturdays');

      const typed = (await (await server.send('POST', '/api/knowledge', { title: 'Typed', content: 'Typed text.' }, owner.bearer)).json()) as Doc;
      const notImported = await server.fetch(`/api/knowledge/${typed.id}/refetch`, { method: 'POST', headers: owner.bearer });
      expect(notImported.status).toBe(409);

      const actions = (await records(server).audit()).filter((a) => a.action.startsWith('knowledge.') && (a.target_id === doc.id || a.target_id === typed.id)).map((a) => a.action);
      expect(actions).toEqual(['knowledge.imported', 'knowledge.refetched', 'knowledge.created']);
    });

    it('refuse other origins, redirects away, and slow pages', async () => {
      const other = await server.send('POST', '/api/knowledge/import', { url: `${elsewhereOrigin}/menu` }, owner.bearer);
      expect(other.status).toBe(400);
      const err = (await other.json()).error;
      expect(err.code).toBe('origin_not_allowed');
      expect(err.message).toContain(siteOrigin);
      expect(err.details).toEqual({ allowed_origins: [siteOrigin] });

      const away = await server.send('POST', '/api/knowledge/import', { url: `${siteOrigin}/partner` }, owner.bearer);
      expect(away.status).toBe(400);
      expect((await errorOf(away)).code).toBe('redirect_off_origin');

      const slow = await server.send('POST', '/api/knowledge/import', { url: `${siteOrigin}/slow` }, owner.bearer);
      expect(slow.status).toBe(400);
      const slowErr = await errorOf(slow);
      expect(slowErr.code).toBe('fetch_failed');
      expect(slowErr.message).toContain('no answer within 0.7 s');

      const missing = await server.send('POST', '/api/knowledge/import', { url: `${siteOrigin}/nothing-here` }, owner.bearer);
      expect((await errorOf(missing)).code).toBe('fetch_failed');
      expect((await get<{ data: Doc[] }>('/api/knowledge')).data).toEqual([]);
    });
  });

  describe('without BOB_ALLOW_PRIVATE_WEBHOOKS', () => {
    beforeEach(() => startAllowingOnlySite());
    afterEach(() => server.close());

    it('refuse a loopback target', async () => {
      const res = await server.send('POST', '/api/knowledge/import', { url: `${siteOrigin}/menu` }, owner.bearer);
      expect(res.status).toBe(400);
      const err = await errorOf(res);
      expect(err.code).toBe('private_address');
      expect(err.message).toContain('BOB_ALLOW_PRIVATE_WEBHOOKS=1');
    });
  });
});
