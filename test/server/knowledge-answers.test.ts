// Bob answers from a business's documents over real HTTP: each kind of document answers the
// question only it contains, names itself in the text and the receipt, and never makes Bob quote
// an amount the catalog does not publish.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicChat, sid, widgetChat, demoKey } from '../helpers/chat';
import { makePdf } from '../helpers/pdf';
import { DEMO_OWNER, login, startTestServer, type Session, type TestServer } from '../helpers/server';

let server: TestServer;
let owner: Session;

interface Reply {
  reply: string;
  basis: { documents: { id: string; title: string }[]; items: string[] } | null;
}

const upload = async (filename: string, data: Buffer | string, title: string) => {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(typeof data === 'string' ? Buffer.from(data) : data)]), filename);
  form.append('title', title);
  const res = await server.fetch('/api/knowledge', { method: 'POST', headers: owner.bearer, body: form });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; title: string; type: string };
};
const ask = async (message: string): Promise<Reply> => (await publicChat(server, { session_id: sid(), business_id: 'business-co', message })).json() as Promise<Reply>;

beforeAll(async () => {
  server = await startTestServer();
  owner = await login(server, DEMO_OWNER);
});
afterAll(() => server.close());

describe('the demo business', () => {
  it('answers from its Appointments document, and its own answer tests pass against what it published', async () => {
    const r = await ask('Can I cancel my appointment?');
    expect(r.reply).toMatch(/free of charge up to 24 hours before it starts.*\(from: Appointments\)$/);
    const run = await server.send('POST', '/api/answer-tests/run', { against: 'published' }, owner.bearer);
    expect(run.status).toBe(201);
    const body = (await run.json()) as { total: number; passed: number; results: { why: string }[] };
    expect(body.results.map((x) => x.why)).toEqual(['', '', '']);
    expect(body).toMatchObject({ total: 3, passed: 3 });
  });
});

describe('answers from knowledge documents', () => {
  const docs: Record<'md' | 'html' | 'pdf', { id: string; title: string; type: string }> = {} as never;

  it('does not know these things before the documents exist', async () => {
    for (const q of ['Where do I park my bicycle at the office?', 'Can I send my receipts by courier?', 'Do you keep my archived invoices for ten years?']) {
      const r = await ask(q);
      expect(r.basis?.documents ?? []).toEqual([]);
      expect(r.reply).not.toMatch(/\(from:/);
    }
  });

  it('answers from a Markdown, an HTML and a PDF document, each naming itself', async () => {
    docs.md = await upload('bikes.md', '# Bicycles\n\nYou can park your bicycle in the courtyard behind the office, next to the blue gate.\n', 'Getting here by bike');
    docs.html = await upload(
      'courier.html',
      '<!doctype html><html><head><title>Courier</title><script>var secret = 1;</script></head><body><nav>Home | Contact</nav><h1>Sending documents</h1><p>Receipts can be sent by courier to Via del Corso 12; we confirm delivery by email the same day.</p></body></html>',
      'Sending us documents',
    );
    docs.pdf = await upload('archive.pdf', makePdf(['Archive policy', '', 'We keep your archived invoices for ten years in our secure archive.', 'After ten years they are shredded.']), 'Archive policy');
    expect([docs.md.type, docs.html.type, docs.pdf.type]).toEqual(['markdown', 'html', 'pdf']);

    const cases = [
      { q: 'Where do I park my bicycle at the office?', doc: docs.md, says: 'courtyard' },
      { q: 'Can I send my receipts by courier?', doc: docs.html, says: 'courier to Via del Corso 12' },
      { q: 'Do you keep my archived invoices for ten years?', doc: docs.pdf, says: 'ten years' },
    ];
    for (const c of cases) {
      const r = await ask(c.q);
      expect(r.reply).toContain(c.says);
      expect(r.reply).toContain(`(from: ${c.doc.title})`);
      expect(r.basis?.documents).toEqual([{ id: c.doc.id, title: c.doc.title }]);
    }
    // Nothing of the page's script or navigation became something Bob says.
    expect((await ask('Can I send my receipts by courier?')).reply).not.toMatch(/secret|Home \| Contact/);
  });

  it('names the document on the widget path too', async () => {
    const origin = 'http://localhost:5173'; // one of the demo key's allowed origins
    const res = await widgetChat(server, await demoKey(server), origin, { session_id: sid(), message: 'Where do I park my bicycle at the office?' });
    expect(res.status).toBe(200);
    const r = (await res.json()) as Reply;
    expect(r.basis?.documents).toEqual([{ id: docs.md.id, title: 'Getting here by bike' }]);
  });

  it('never quotes an amount the catalog does not publish', async () => {
    const doc = await upload(
      'parking.md',
      '# Parking\n\nThe garage on Via Roma charges €45 per day for visitors of the office.\n\nVisitors of the office can use the garage on Via Roma with the code printed on their appointment letter.\n',
      'Parking at the office',
    );
    for (const q of ['How much does the garage on Via Roma charge visitors of the office per day?', 'What does the garage on Via Roma cost for visitors?', 'Do visitors of the office pay the garage on Via Roma per day?', 'Can visitors of the office use the garage on Via Roma?']) {
      const r = await ask(q);
      expect(r.reply).not.toMatch(/45/);
    }
    // The same sentence with an amount the catalog publishes (the initial consultation's €90) is quoted:
    // what kept €45 out is the check against the catalog.
    await server.send('PUT', `/api/knowledge/${doc.id}`, { content: '# Parking\n\nThe garage on Via Roma charges €90 per day for visitors of the office.\n' }, owner.bearer);
    expect((await ask('Do visitors of the office pay the garage on Via Roma per day?')).reply).toContain('€90 per day');
    await server.send('PUT', `/api/knowledge/${doc.id}`, { content: '# Parking\n\nThe garage on Via Roma charges €45 per day for visitors of the office.\n\nVisitors of the office can use the garage on Via Roma with the code printed on their appointment letter.\n' }, owner.bearer);
    // The sentence without an amount is still Bob's to quote.
    const open = await ask('Can visitors of the office use the garage on Via Roma?');
    expect(open.reply).toContain('code printed on their appointment letter');
    expect(open.basis?.documents).toEqual([{ id: doc.id, title: 'Parking at the office' }]);
  });

  it('stops answering from a document once it is deleted', async () => {
    expect((await server.fetch(`/api/knowledge/${docs.pdf.id}`, { method: 'DELETE', headers: owner.bearer })).status).toBe(204);
    const r = await ask('Do you keep my archived invoices for ten years?');
    expect(r.basis?.documents ?? []).toEqual([]);
    expect(r.reply).not.toContain('(from: Archive policy)');
  });
});
