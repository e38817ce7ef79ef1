import { describe, expect, it } from 'vitest';
import { AT, useTempDatabase } from '../../../../test/helpers/temp-db';
import { sqliteDialect } from '../../storage/dialect';
import { createChatRepo } from './chat.repo';

const openDatabase = useTempDatabase();

// The writes on the chat path return what they stored without reading it back (no RETURNING):
// what they return must be exactly the row as stored, defaults included.
describe('ChatRepo writes', () => {
  it('returns a new session and a message exactly as stored', async () => {
    const { storage } = await openDatabase();
    const chat = createChatRepo(storage, sqliteDialect);
    const session = await chat.insertSession({ id: 's1', tenant_id: 't1', external_id: 'visitor-1', channel: 'widget', persona_id: null, visitor_name: null, language: 'it', origin: 'https://shop.example', key_mode: 'live', created_by: null, at: AT });
    expect({ ...session, persona_name: null }).toEqual(await chat.byId('t1', 's1'));
    const message = await chat.insertMessage({ id: 'm1', tenant_id: 't1', session_id: 's1', author: 'visitor', author_id: null, author_name: null, body: 'Ciao!', created_at: AT, responder: null, basis: null });
    expect([message]).toEqual(await chat.transcript('s1', Number.MAX_SAFE_INTEGER, 10));
    expect(await chat.byExternalId('t1', 'visitor-1')).toMatchObject({ last_message: 'Ciao!', message_count: 1 });
  });
});
