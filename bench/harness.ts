// The benchmarks' one harness: Bob, the baselines and the load generator each in their own
// process, as a real site would load Bob. Only loopback addresses are ever contacted.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

const ROOT = path.resolve(import.meta.dirname, '..');
export const COMPILED_SERVER = path.join(ROOT, 'out', 'server', 'main.js');
export const ORIGIN = 'http://localhost:5173'; // one of the demo key's allowed origins

export interface Proc {
  url: string;
  pid: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Waits for a line matching `pattern` on the child's stdout; rejects if it exits first. */
function lineFrom(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout! });
    const timer = setTimeout(() => reject(new Error(`${what} did not start within ${timeoutMs} ms`)), timeoutMs);
    lines.on('line', (line) => {
      const m = line.match(pattern);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before it was ready`));
    });
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
}

/**
 * Bob as production runs it (the compiled server, `npm run build`), on a fresh data dir with the
 * demo data, on a free loopback port. `BOB_TRUST_PROXY=1`: each request's X-Forwarded-For is its
 * visitor's address, as behind a reverse proxy.
 */
export async function spawnBob(env: Record<string, string> = {}, opts: { dataDir?: string; nodeArgs?: string[] } = {}): Promise<Proc & { dataDir: string; compiled: boolean }> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'bob-bench-'));
  const compiled = fs.existsSync(COMPILED_SERVER);
  const nodeArgs = opts.nodeArgs ?? [];
  const args = compiled ? [...nodeArgs, COMPILED_SERVER] : ['--import', 'tsx', ...nodeArgs, path.join(ROOT, 'src', 'server', 'main.ts')];
  if (!compiled) console.warn('(the compiled server is missing: run `npm run build` for production figures; using tsx)');
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, BOB_DATA_DIR: dataDir, BOB_HOST: '127.0.0.1', BOB_PORT: '0', BOB_TRUST_PROXY: '1', BOB_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [, url] = await lineFrom(child, /Bob listening on (http:\/\/\S+)/, 'Bob');
  const stop = stopper(child);
  return {
    url: url!,
    pid: child.pid!,
    child,
    dataDir,
    compiled,
    async stop() {
      await stop();
      if (!opts.dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A server of bench/ (`script`, .mjs or .ts) in its own process, once it prints "listening on <url>". */
export async function spawnServer(script: string, args: string[] = []): Promise<Proc> {
  const file = path.join(ROOT, 'bench', script);
  const child = spawn(process.execPath, [...(script.endsWith('.ts') ? ['--import', 'tsx'] : []), file, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const [, url] = await lineFrom(child, /listening on (http:\/\/\S+)/, script);
  return { url: url!, pid: child.pid!, child, stop: stopper(child) };
}

/** A bare JSON echo server in its own process: `koa` (Koa 3, the baseline) or `http` (node:http). */
export const spawnEcho = (kind: 'koa' | 'http') => spawnServer('echo-server.mjs', [kind]);

/**
 * The chat's floor (bench/floor-server.ts) in its own process: bare Koa plus the durable writes of
 * one new visitor's chat through Bob's own storage, and nothing else of Bob.
 */
export const spawnFloor = () => spawnServer('floor-server.ts');

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** How each request's body is made: a chat message from a new visitor, or none. */
  body?: 'chat' | 'none';
  /** body "chat": the business named in the body (POST /api/chat). */
  businessId?: string;
  /** Each request also gets a new X-Forwarded-For (a new visitor's address). */
  distinctAddresses?: boolean;
  /** distinctAddresses: start the addresses this many after the first, so generators run side by side never share one. */
  addressOffset?: number;
  connections?: number;
  durationS?: number;
  /** Stop after this many requests instead of after `durationS`. */
  amount?: number;
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  /** Responses per status code, e.g. { "200": 73412 }. */
  statuses: Record<string, number>;
}

/** Runs autocannon in its own process (bench/load.mjs) and returns its figures. */
export function runLoad(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, 'bench', 'load.mjs'), JSON.stringify(spec)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`load generator exited with ${code}`));
      resolve(JSON.parse(out) as LoadResult);
    });
  });
}

/** A run counts only when every response was a 2xx and nothing failed or timed out. */
export function clean(r: LoadResult): boolean {
  return r.errors === 0 && r.timeouts === 0 && Object.keys(r.statuses).every((s) => s.startsWith('2'));
}

export const statusMix = (r: LoadResult) =>
  Object.entries(r.statuses)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ') + (r.errors ? ` errors×${r.errors}` : '') + (r.timeouts ? ` timeouts×${r.timeouts}` : '');

export const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/** Medians of the rounds' req/s and latencies; the status mixes added up. */
export function combine(rounds: LoadResult[]): LoadResult {
  const statuses: Record<string, number> = {};
  for (const r of rounds) for (const [s, n] of Object.entries(r.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
  return {
    requests: rounds.reduce((a, r) => a + r.requests, 0),
    rps: median(rounds.map((r) => r.rps)),
    p50: median(rounds.map((r) => r.p50)),
    p99: median(rounds.map((r) => r.p99)),
    errors: rounds.reduce((a, r) => a + r.errors, 0),
    timeouts: rounds.reduce((a, r) => a + r.timeouts, 0),
    statuses,
  };
}

/** JSON over HTTP to a loopback server, for setting up a benchmark through Bob's own API. */
export async function call<T = unknown>(base: string, method: string, pathname: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
  const res = await fetch(new URL(pathname, base), {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${pathname}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A staff session's Authorization header. */
export async function signIn(base: string, email: string, password: string): Promise<Record<string, string>> {
  const { token } = await call<{ token: string }>(base, 'POST', '/api/auth/login', { email, password });
  return { authorization: `Bearer ${token}` };
}

export const DEMO_ADMIN = { email: 'admin@office16852.com', password: 'your_password' };
export const DEMO_OWNER = { email: 'customer@business.com', password: 'customer_password' };

/**
 * Business Co ready for a load test as a real site: its live widget key, and a plan whose credits
 * cannot run out during the run (the platform publishes a pricebook version where Business Co's
 * plan has a billion credits a month), so every chat is answered by Bob.
 */
export async function prepareBusiness(bob: Proc): Promise<{ key: string; owner: Record<string, string> }> {
  const admin = await signIn(bob.url, DEMO_ADMIN.email, DEMO_ADMIN.password);
  const draft = await call<{ version: number; plans: { id: string; credits_month: number }[] }>(bob.url, 'POST', '/api/pricebook/versions', {}, admin);
  const plans = draft.plans.map((p) => ({ ...p, credits_month: 1_000_000_000 }));
  await call(bob.url, 'PUT', `/api/pricebook/versions/${draft.version}`, { plans }, admin);
  await call(bob.url, 'POST', `/api/pricebook/versions/${draft.version}/publish`, undefined, admin);
  const owner = await signIn(bob.url, DEMO_OWNER.email, DEMO_OWNER.password);
  const keys = await call<{ data: { key: string; mode: string; revoked_at: string | null }[] }>(bob.url, 'GET', '/api/widget-keys', undefined, owner);
  const key = keys.data.find((k) => k.mode === 'live' && !k.revoked_at)?.key;
  if (!key) throw new Error('Business Co has no live widget key');
  return { key, owner };
}

/** Resident memory of a process in MB (Linux /proc). */
export function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

/** Appends or replaces this benchmark's section in bench/RESULTS.md. */
export function recordResults(name: string, markdown: string): void {
  const file = path.join(ROOT, 'bench', 'RESULTS.md');
  const start = `<!-- ${name} -->`;
  const end = `<!-- /${name} -->`;
  const section = `${start}\n${markdown.trim()}\n${end}`;
  let text = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmark results\n\nWritten by `npm run bench` (each `npm run bench:<name>` updates its own section).\n';
  const re = new RegExp(`${start}[\\s\\S]*?${end}`);
  text = re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, text);
}

export const machine = () => `${os.cpus().length} × ${os.cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
