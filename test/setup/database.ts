// vitest's global setup: with BOB_TEST_DB=postgres (the second run of `npm test`), one throwaway
// PostgreSQL cluster for the whole run and a migrated template database every test server copies
// (test/helpers/test-database.ts). With SQLite (the default) nothing to do.
import { startPgCluster } from '../helpers/pg-cluster';
import { TEMPLATE, prepareTemplate } from '../helpers/test-database';

export default async function setup() {
  if (process.env.BOB_TEST_DB !== 'postgres') return;
  const cluster = await startPgCluster();
  await prepareTemplate(cluster.url);
  // Read by the test workers (and the Bob processes they start), which inherit the environment.
  process.env.BOB_TEST_PG_ADMIN = cluster.url;
  console.log(`PostgreSQL test cluster on port ${cluster.port}, template database ${TEMPLATE}`);
  return () => cluster.stop();
}
