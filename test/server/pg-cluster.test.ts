// The ground the PostgreSQL server mode (issue #21) will be tested on: a throwaway cluster on a
// loopback port, with what Bob's schema will need of it (unaccent, byte-wise collation like
// SQLite's, a database per test server copied from a prepared template).
import { describe, expect, it } from 'vitest';
import { usePgCluster } from '../helpers/pg-cluster';
import { pgCreateDatabase, pgFacts, pgUnaccentedWords, pgWriteAccentedWords } from '../helpers/raw-sql';

const cluster = usePgCluster();

describe('a throwaway PostgreSQL cluster', () => {
  it('answers on loopback only, as `bob`, sorting text byte-wise like SQLite', async () => {
    expect(cluster().url).toMatch(/^postgres:\/\/bob@127\.0\.0\.1:\d+\/postgres$/);
    expect(await pgFacts(cluster().url)).toEqual({ user: 'bob', collate: 'C.UTF-8', sorted: ['B', 'a', 'b', 'é'] });
  });

  it('has unaccent for accent-insensitive search, and copies a prepared template into a database per test server', async () => {
    const template = await pgCreateDatabase(cluster().url, 'bob_template');
    await pgWriteAccentedWords(template, ['perché', 'città']);
    const server = await pgCreateDatabase(cluster().url, 'server_1', 'bob_template');
    expect(await pgUnaccentedWords(server)).toEqual(['citta', 'perche']);
  });
});
