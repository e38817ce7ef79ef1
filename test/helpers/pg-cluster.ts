// A throwaway PostgreSQL cluster for the server-mode tests (issue #21): initdb in a temp dir, on a
// free loopback port, trust auth for the user `bob`, stopped and removed afterwards. PostgreSQL
// refuses to run as root, so as root the cluster belongs to the `postgres` user the Debian
// package creates (docs: /work/shared/ENVIRONMENT.md's recipe).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';

/** Where initdb and pg_ctl are: on PATH, else the newest /usr/lib/postgresql/<version>/bin. */
export function postgresBin(): string | null {
  const onPath = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) return path.dirname(onPath.stdout.trim());
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return null;
  const versions = fs.readdirSync(root).filter((v) => fs.existsSync(path.join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions.length ? path.join(root, versions[0]!, 'bin') : null;
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });

export interface PgCluster {
  /** `postgres://bob@127.0.0.1:<port>/postgres` */
  url: string;
  port: number;
  stop(): void;
}

export async function startPgCluster(): Promise<PgCluster> {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (initdb not found): apt-get install -y postgresql');
  const asRoot = process.getuid?.() === 0;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bob-pg-'));
  fs.chmodSync(dir, 0o777); // the postgres user writes the cluster and its socket here
  const as = (cmd: string, args: string[]) => (asRoot ? spawnSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' }) : spawnSync(cmd, args, { encoding: 'utf8' }));
  const check = (what: string, r: ReturnType<typeof spawnSync>) => {
    if (r.status !== 0) throw new Error(`${what} failed (${r.status}): ${String(r.stderr || r.stdout).trim().slice(-2000)}`);
  };
  const data = path.join(dir, 'data');
  check('initdb', as(path.join(bin, 'initdb'), ['-D', data, '-A', 'trust', '-U', 'bob', '-E', 'UTF8', '--locale=C.UTF-8']));
  const port = await freePort();
  check(
    'pg_ctl start',
    as(path.join(bin, 'pg_ctl'), ['-D', data, '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400`, '-l', path.join(dir, 'log'), '-w', 'start']),
  );
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    as(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', 'stop']);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // A test process that ends without its afterAll leaves no server behind.
  process.once('exit', stop);
  return { url: `postgres://bob@127.0.0.1:${port}/postgres`, port, stop };
}

/**
 * Call at the top of a test file: one cluster for the file, started before its tests and stopped
 * after them. The returned function gives it (inside a test or hook).
 */
export function usePgCluster(): () => PgCluster {
  let cluster: PgCluster | undefined;
  beforeAll(async () => {
    cluster = await startPgCluster();
  }, 60_000);
  afterAll(() => cluster?.stop());
  return () => cluster!;
}
