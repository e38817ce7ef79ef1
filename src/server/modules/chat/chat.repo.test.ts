import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../db/client';
import { migrate } from '../../db/migrate';
import { sqliteDialect } from '../../storage/dialect';
import { sqliteStorage } from '../../storage/sqlite';
import { createChatRepo } from './chat.repo';

let db: Db;
let dir: string;
afterEach(() => {
  closeDatabase(db);
  fs.rmSync(dir, { recursive: true, force: true });
});

const AT = '2026-11-01T10:00:00.000Z';

// The writes on the chat path return what they stored without reading it back (no RETURNING):
// what they return must be exactly the row as stored, defaults included.
describe('ChatRepo writes', () => {
  it('returns a new session and a message exactly as stored', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-chat-repo-'));
    db = openDatabase(dir);
    migrate(db);
    const storage = sqliteStorage(db);
    await storage.insertInto('tenants').values({ id: 't1', slug: 't1', name: 'T', plan_id: 'pro', created_at: AT, updated_at: AT }).execute();
    const chat = createChatRepo(storage, sqliteDialect);
    const session = await chat.insertSession({ id: 's1', tenant_id: 't1', external_id: 'visitor-1', channel: 'widget', persona_id: null, visitor_name: null, language: 'it', origin: 'https://shop.example', key_mode: 'live', created_by: null, at: AT });
    expect({ ...session, persona_name: null }).toEqual(await chat.byId('t1', 's1'));
    const message = await chat.insertMessage({ id: 'm1', tenant_id: 't1', session_id: 's1', author: 'visitor', author_id: null, author_name: null, body: 'Ciao!', created_at: AT, responder: null, basis: null });
    expect([message]).toEqual(await chat.transcript('s1', Number.MAX_SAFE_INTEGER, 10));
    expect(await chat.byExternalId('t1', 'visitor-1')).toMatchObject({ last_message: 'Ciao!', message_count: 1 });
  });
});
