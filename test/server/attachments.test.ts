// Issue #23: attachments. Images and PDFs both ways over real HTTP on both databases: the type from
// the bytes, metadata stripped, 10 MB, signed links for the visitor, tenant scoping, plan storage,
// webhooks' links, erasure and retention removing the files.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoKey, sid, tenantBySlug, widgetChat } from '../helpers/chat';
import { eventually } from '../helpers/eventually';
import { PDF, png } from '../helpers/files';
import { DEMO_ADMIN, DEMO_OWNER, login, startTestServer, TestClock, type Session, type TestServer } from '../helpers/server';
import { secondBusiness } from '../helpers/demo';
import { startReceiver, type Receiver } from '../helpers/webhook-receiver';

const ORIGIN = 'http://localhost:3000';
const ENV = { BOB_ALLOW_PRIVATE_WEBHOOKS: '1', BOB_WEBHOOK_RETRY_SCHEDULE: '50ms,100ms', BOB_WEBHOOK_TIMEOUT: '1s' };

let server: TestServer;
let clock: TestClock;
let owner: Session;
let admin: Session;
let anna: Session;
let key: string;
let receiver: Receiver;

/** A valid 1×1 PNG with a tEXt chunk (a "Comment" that must go). */
const tinyPng = (text = 'secret comment') => png(1, 1, [255, 0, 0], text);

const segment = (marker: number, payload: Buffer) => {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
};

/** A JPEG's structure with a JFIF APP0, an EXIF APP1 holding a GPS IFD, an XMP APP1 and a comment. */
function jpegWithGps(): Buffer {
  // TIFF (little endian): IFD0 with one entry, GPSInfo (0x8825) → a GPS IFD with GPSLatitudeRef 'N'.
  const tiff = Buffer.alloc(8 + 2 + 12 + 4 + 2 + 12 + 4);
  tiff.write('II', 0, 'latin1');
  tiff.writeUInt16LE(42, 2);
  tiff.writeUInt32LE(8, 4);
  tiff.writeUInt16LE(1, 8);
  tiff.writeUInt16LE(0x8825, 10);
  tiff.writeUInt16LE(4, 12);
  tiff.writeUInt32LE(1, 14);
  tiff.writeUInt32LE(26, 18);
  tiff.writeUInt32LE(0, 22);
  tiff.writeUInt16LE(1, 26);
  tiff.writeUInt16LE(1, 28); // GPSLatitudeRef
  tiff.writeUInt16LE(2, 30);
  tiff.writeUInt32LE(2, 32);
  tiff.write('N\0', 36, 'latin1');
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    segment(0xe1, Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff])),
    segment(0xe1, Buffer.from('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>GPSLatitude 45.4</x:xmpmeta>', 'latin1')),
    segment(0xfe, Buffer.from('taken at home', 'latin1')),
    segment(0xdb, Buffer.alloc(65, 1)),
    segment(0xda, Buffer.from([1, 1, 0, 0, 0x3f, 0])),
    Buffer.from([0x12, 0x34, 0x56, 0xff, 0xd9]),
  ]);
}

/** The APPn/COM markers of a JPEG, walking its segments up to the scan. */
function jpegMarkers(b: Buffer): { marker: number; id: string }[] {
  expect(b[0]).toBe(0xff);
  expect(b[1]).toBe(0xd8);
  const out: { marker: number; id: string }[] = [];
  for (let i = 2; i < b.length; ) {
    expect(b[i]).toBe(0xff);
    const marker = b[i + 1]!;
    if (marker === 0xda || marker === 0xd9) break;
    const len = b.readUInt16BE(i + 2);
    out.push({ marker, id: b.toString('latin1', i + 4, i + 4 + 5) });
    i += 2 + len;
  }
  return out;
}

const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]);
const EXE = Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(200)]);

const form = (data: Buffer, name: string, type = 'application/octet-stream') => {
  const f = new FormData();
  f.append('file', new Blob([new Uint8Array(data)], { type }), name);
  return f;
};
const visitorUpload = (session: string, data: Buffer, name: string) =>
  server.fetch(`/api/widget/attachments?session_id=${encodeURIComponent(session)}`, { method: 'POST', headers: { 'X-Widget-Key': key, Origin: ORIGIN }, body: form(data, name) });
const staffUpload = (sessionId: string, data: Buffer, name: string, who = owner) =>
  server.fetch(`/api/chat/sessions/${sessionId}/attachments`, { method: 'POST', headers: who.bearer, body: form(data, name) });

type Att = { id: string; name: string; type: string; size: number; url: string };
type Msg = { id: string; author: string; body: string; attachments?: Att[] };

/** A visitor's conversation (started by a message), its internal id. */
async function conversation(): Promise<{ session: string; id: string }> {
  const session = sid();
  const res = await widgetChat(server, key, ORIGIN, { session_id: session, message: 'Hello, here is a photo' });
  expect(res.status, await res.clone().text()).toBe(200);
  const list = (await (await server.fetch('/api/chat/sessions?limit=100', { headers: owner.bearer })).json()) as { data: { id: string; session_id: string }[] };
  return { session, id: list.data.find((s) => s.session_id === session)!.id };
}

beforeAll(async () => {
  clock = new TestClock();
  server = await startTestServer({ clock, env: ENV });
  owner = await login(server, DEMO_OWNER);
  admin = await login(server, DEMO_ADMIN);
  anna = await secondBusiness(server, admin);
  key = await demoKey(server);
  receiver = await startReceiver();
  const hook = await server.send('POST', '/api/webhooks', { url: receiver.url, events: ['message.created'], description: 'CRM' }, owner.bearer);
  expect(hook.status, await hook.clone().text()).toBe(201);
});
afterAll(async () => {
  await receiver?.close();
  await server?.close();
});

describe('attachments', () => {
  it('a visitor sends an image and a PDF; staff see them in the transcript and download them; the webhook has the link', async () => {
    const { session, id } = await conversation();
    const up = await visitorUpload(session, tinyPng(), 'photo.png');
    expect(up.status, await up.clone().text()).toBe(201);
    const { message } = (await up.json()) as { message: Msg };
    expect(message).toMatchObject({ author: 'visitor', body: 'photo.png' });
    const att = message.attachments![0]!;
    expect(att).toMatchObject({ name: 'photo.png', type: 'image/png' });
    expect(att.url).toMatch(new RegExp(`^/api/widget/attachments/${att.id}\\?exp=\\d+&sig=`));

    // The visitor's signed link: the image, inline, without its text chunk.
    const seen = await server.fetch(att.url);
    expect(seen.status).toBe(200);
    expect(seen.headers.get('content-type')).toBe('image/png');
    expect(seen.headers.get('x-content-type-options')).toBe('nosniff');
    expect(seen.headers.get('content-disposition')).toMatch(/^inline; filename="photo.png"/);
    const bytes = Buffer.from(await seen.arrayBuffer());
    expect(bytes.includes(Buffer.from('tEXt'))).toBe(false);
    expect(bytes.includes(Buffer.from('IDAT'))).toBe(true);
    expect(att.size).toBe(bytes.length);

    const pdf = await visitorUpload(session, PDF, 'invoice.pdf');
    expect(pdf.status).toBe(201);
    const pdfAtt = ((await pdf.json()) as { message: Msg }).message.attachments![0]!;
    expect(pdfAtt.type).toBe('application/pdf');

    // Staff: the transcript lists both, the staff link gives the bytes (PDF as a download).
    const t = (await (await server.fetch(`/api/chat/sessions/${id}`, { headers: owner.bearer })).json()) as { messages: { data: Msg[] } };
    const withFiles = t.messages.data.filter((m) => m.attachments);
    expect(withFiles.map((m) => m.attachments![0]!.name)).toEqual(['photo.png', 'invoice.pdf']);
    expect(withFiles[0]!.attachments![0]!.url).toBe(`/api/attachments/${att.id}`);
    const staff = await server.fetch(`/api/attachments/${pdfAtt.id}`, { headers: owner.bearer });
    expect(staff.status).toBe(200);
    expect(staff.headers.get('content-type')).toBe('application/pdf');
    expect(staff.headers.get('content-disposition')).toMatch(/^attachment; filename="invoice.pdf"/);
    expect(Buffer.from(await staff.arrayBuffer()).equals(PDF)).toBe(true);
    expect((await server.fetch(`/api/attachments/${pdfAtt.id}`)).status).toBe(401);

    // The visitor's history carries signed links too.
    const history = (await (await server.fetch(`/api/widget/history?session_id=${session}`, { headers: { 'X-Widget-Key': key, Origin: ORIGIN } })).json()) as { messages: Msg[] };
    expect(history.messages.find((m) => m.attachments)!.attachments![0]!.url).toMatch(/^\/api\/widget\/attachments\/.*sig=/);

    // The webhook's message.created carries the staff link, absolute.
    const delivered = await eventually(() => receiver.received.find((r) => r.type === 'message.created' && JSON.stringify(r.data).includes(att.id)));
    const link = (delivered.data as { message: Msg }).message.attachments![0]!.url;
    expect(link).toBe(`${server.url}/api/attachments/${att.id}`);
  });

  it('staff send an image back; the visitor gets it through a signed link', async () => {
    const { session, id } = await conversation();
    const res = await staffUpload(id, tinyPng(), 'menu.png');
    expect(res.status, await res.clone().text()).toBe(201);
    const m = (await res.json()) as Msg;
    expect(m.author).toBe('agent');
    const history = (await (await server.fetch(`/api/widget/history?session_id=${session}`, { headers: { 'X-Widget-Key': key, Origin: ORIGIN } })).json()) as { messages: Msg[] };
    const att = history.messages.find((x) => x.id === m.id)!.attachments![0]!;
    const img = await server.fetch(att.url);
    expect(img.status).toBe(200);
    expect(img.headers.get('content-type')).toBe('image/png');
  });

  it('refuses 10 MB + 1 (413 too_large) and an executable named .png (415 unsupported_type)', async () => {
    const { session, id } = await conversation();
    const big = Buffer.concat([tinyPng(), Buffer.alloc(10 * 1024 * 1024 + 1 - tinyPng().length)]);
    const tooBig = await visitorUpload(session, big, 'big.png');
    expect(tooBig.status).toBe(413);
    expect(((await tooBig.json()) as { error: { code: string } }).error.code).toBe('too_large');
    for (const [bytes, name] of [[ELF, 'cat.png'], [EXE, 'setup.png']] as const) {
      const res = await visitorUpload(session, bytes, name);
      expect(res.status).toBe(415);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unsupported_type');
      const staff = await staffUpload(id, bytes, name);
      expect(staff.status).toBe(415);
    }
    // Nothing was stored for them.
    const t = (await (await server.fetch(`/api/chat/sessions/${id}`, { headers: owner.bearer })).json()) as { messages: { data: Msg[] } };
    expect(t.messages.data.some((m) => m.attachments)).toBe(false);
  });

  it('a JPEG with GPS EXIF is stored and served without EXIF, XMP or comments (JFIF kept)', async () => {
    const { session } = await conversation();
    const original = jpegWithGps();
    expect(jpegMarkers(original).map((s) => s.marker)).toEqual([0xe0, 0xe1, 0xe1, 0xfe, 0xdb]);
    const res = await visitorUpload(session, original, 'holiday.jpg');
    expect(res.status, await res.clone().text()).toBe(201);
    const att = ((await res.json()) as { message: Msg }).message.attachments![0]!;
    expect(att.type).toBe('image/jpeg');
    const served = Buffer.from(await (await server.fetch(att.url)).arrayBuffer());
    expect(jpegMarkers(served)).toEqual([{ marker: 0xe0, id: 'JFIF\0' }, { marker: 0xdb, id: expect.any(String) }]);
    for (const word of ['Exif', 'GPSLatitude', 'xmpmeta', 'taken at home']) expect(served.includes(Buffer.from(word, 'latin1'))).toBe(false);
    // The file on disk is the stripped one.
    const tenant = await tenantBySlug(server, 'business-co');
    const onDisk = fs.readFileSync(path.join(server.dataDir, 'attachments', tenant.id, att.id));
    expect(onDisk.equals(served)).toBe(true);
  });

  it('signed links: forged → 403 invalid_signature, expired → 403 link_expired; another business → 404', async () => {
    const { session } = await conversation();
    const att = ((await (await visitorUpload(session, PDF, 'a.pdf')).json()) as { message: Msg }).message.attachments![0]!;
    const forged = att.url.replace(/sig=.*/, 'sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA');
    const f = await server.fetch(forged);
    expect(f.status).toBe(403);
    expect(((await f.json()) as { error: { code: string } }).error.code).toBe('invalid_signature');
    const later = att.url.replace(/exp=(\d+)/, (_, e: string) => `exp=${Number(e) + 3600}`);
    expect((await server.fetch(later)).status).toBe(403);
    // Anna's business cannot see it, nor upload into the demo business's conversation.
    expect((await server.fetch(`/api/attachments/${att.id}`, { headers: anna.bearer })).status).toBe(404);
    const { id } = await conversation();
    expect((await staffUpload(id, PDF, 'x.pdf', anna)).status).toBe(404);
    clock.advance(21 * 60_000);
    owner = await login(server, DEMO_OWNER);
    const expired = await server.fetch(att.url);
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe('link_expired');
  });

  it('counts storage per business in Usage; a visitor without a conversation must write first', async () => {
    const usage = (await (await server.fetch('/api/usage', { headers: owner.bearer })).json()) as { storage: { used_bytes: number; limit_bytes: number | null } };
    expect(usage.storage.used_bytes).toBeGreaterThan(0);
    expect(usage.storage.limit_bytes).toBeGreaterThan(0);
    const rossi = (await (await server.fetch('/api/usage', { headers: anna.bearer })).json()) as { storage: { used_bytes: number } };
    expect(rossi.storage.used_bytes).toBe(0);
    const none = await visitorUpload(sid(), PDF, 'a.pdf');
    expect(none.status).toBe(409);
  });

  it('erasing the visitor removes their files', async () => {
    const { session } = await conversation();
    const att = ((await (await visitorUpload(session, tinyPng(), 'me.png')).json()) as { message: Msg }).message.attachments![0]!;
    const tenant = await tenantBySlug(server, 'business-co');
    const file = path.join(server.dataDir, 'attachments', tenant.id, att.id);
    expect(fs.existsSync(file)).toBe(true);
    const before = ((await (await server.fetch('/api/usage', { headers: owner.bearer })).json()) as { storage: { used_bytes: number } }).storage.used_bytes;
    const erased = await server.fetch(`/api/visitors/${session}`, { method: 'DELETE', headers: owner.bearer });
    expect(erased.status, await erased.clone().text()).toBe(200);
    expect(fs.existsSync(file)).toBe(false);
    expect((await server.fetch(`/api/attachments/${att.id}`, { headers: owner.bearer })).status).toBe(404);
    const after = ((await (await server.fetch('/api/usage', { headers: owner.bearer })).json()) as { storage: { used_bytes: number } }).storage.used_bytes;
    expect(before - after).toBe(att.size);
  });
});

describe('attachments under retention', () => {
  it('a conversation removed by retention takes its files with it', async () => {
    const { session } = await conversation();
    const att = ((await (await visitorUpload(session, PDF, 'old.pdf')).json()) as { message: Msg }).message.attachments![0]!;
    const tenant = await tenantBySlug(server, 'business-co');
    const file = path.join(server.dataDir, 'attachments', tenant.id, att.id);
    expect(fs.existsSync(file)).toBe(true);
    expect((await server.send('PATCH', '/api/tenant', { settings: { retention_days: 1 } }, owner.bearer)).status).toBe(200);
    clock.advance(2 * 86_400_000);
    admin = await login(server, DEMO_ADMIN);
    const run = await server.send('POST', '/api/retention/run', {}, admin.bearer);
    expect(run.status, await run.clone().text()).toBe(200);
    expect(fs.existsSync(file)).toBe(false);
  });
});
