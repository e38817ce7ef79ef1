// The floor for bench:chat, in its own process: bare Koa (as the baseline) plus only the durable
// writes one new visitor's chat makes in Bob — the session, the visitor's message and the reply,
// and their events — through Bob's own storage: openDatabase (its pragmas), the migrations, the
// chat repository and the unit of work's group commit. Nothing else of Bob: no key or origin check,
// no limits, no responder, no credits. Bob cannot answer faster than this on the same machine.
// Prints "floor listening on <url>".
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Koa from 'koa';
import { openDatabase } from '../src/server/db/client';
import { migrate } from '../src/server/db/migrate';
import { timeOrderedUuid } from '../src/server/ids';
import { createChatRepo, toMessage, toSession } from '../src/server/modules/chat/chat.repo';
import { EventBus } from '../src/server/modules/events/events.bus';
import { createEventsRepo } from '../src/server/modules/events/events.repo';
import { createTenantsRepo } from '../src/server/modules/tenants/tenants.repo';
import { sqliteDialect } from '../src/server/storage/dialect';
import { sqliteStorage } from '../src/server/storage/sqlite';
import { SqliteUnitOfWork } from '../src/server/storage/unit-of-work';
import { DEFAULT_TENANT_SETTINGS } from '../src/shared/schemas/tenants';

const REPLY = 'Yes: appointments can be cancelled up to 24 hours before, free of charge. (from: Appointments)';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-floor-'));
const db = openDatabase(dataDir);
migrate(db);
const tenantId = timeOrderedUuid();
await createTenantsRepo(sqliteStorage(db)).insertTenant({ id: tenantId, slug: 'floor', name: 'Floor', plan_id: 'starter', is_platform: false, settings: DEFAULT_TENANT_SETTINGS, at: new Date().toISOString() });
const uow = new SqliteUnitOfWork({
  storage: sqliteStorage(db),
  bus: new EventBus(),
  now: () => new Date(),
  repos: (q) => ({ chat: createChatRepo(q, sqliteDialect), events: createEventsRepo(q) }),
  writeLog: (tx, log) => tx.events.append(log.events),
});

async function readJson(req: http.IncomingMessage): Promise<{ session_id: string; message: string }> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString());
}

const app = new Koa();
app.use(async (ctx) => {
  const { session_id: externalId, message } = await readJson(ctx.req);
  ctx.body = await uow.run(async ({ chat, emit }) => {
    const at = new Date().toISOString();
    const id = timeOrderedUuid();
    const session = await chat.insertSession({ id, tenant_id: tenantId, external_id: externalId, channel: 'widget', persona_id: null, visitor_name: null, language: 'en', origin: null, key_mode: 'live', created_by: null, at });
    emit(tenantId, 'session.created', { session: toSession({ ...session, persona_name: null }) }, id);
    for (const [author, body] of [['visitor', message], ['bot', REPLY]] as const) {
      const row = await chat.insertMessage({ id: timeOrderedUuid(), tenant_id: tenantId, session_id: id, author, author_id: null, author_name: null, body, created_at: at, responder: null, basis: null });
      emit(tenantId, 'message.created', { session_id: id, external_id: externalId, message: toMessage(row) }, id);
    }
    return { session_id: externalId, reply: REPLY };
  });
});

const handle = app.callback();
// Koa's handler answers its own errors, so its promise is not awaited (as in src/server/server.ts).
const server = http.createServer((req, res) => void handle(req, res));
server.listen(0, '127.0.0.1', () => console.log(`floor listening on http://127.0.0.1:${(server.address() as { port: number }).port}`));
process.on('SIGTERM', () =>
  server.close(() => {
    db.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  }),
);
