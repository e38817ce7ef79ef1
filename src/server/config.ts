import { randomBytes } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

const port = z
  .string()
  .regex(/^\d{1,5}$/, 'must be a whole number from 0 to 65535')
  .transform(Number)
  .pipe(z.number().max(65535, 'must be a whole number from 0 to 65535'));

// "500ms", "5s", "5m", "2h" → milliseconds.
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
const duration = z
  .string()
  .trim()
  .regex(/^\d+(ms|s|m|h)$/, 'must be a duration like 500ms, 5s, 5m or 2h')
  .transform((v) => {
    const [, n, unit] = /^(\d+)(ms|s|m|h)$/.exec(v)!;
    return Number(n) * UNIT_MS[unit as keyof typeof UNIT_MS];
  });
const durationList = z
  .string()
  .transform((v) => v.split(',').map((x) => x.trim()))
  .pipe(z.array(duration).min(1).max(20, 'at most 20 retries'));

const count = z
  .string()
  .regex(/^\d+$/, 'must be a whole number from 1')
  .transform(Number)
  .pipe(z.number().int().min(1, 'must be a whole number from 1'));

const flag = z.enum(['0', '1'], 'must be 0 or 1').transform((v) => v === '1');

const EnvSchema = z.object({
  BOB_HOST: z.string().trim().min(1).default('127.0.0.1'),
  BOB_PORT: port.default(4600),
  BOB_DATA_DIR: z.string().trim().min(1).optional(),
  BOB_ATTACHMENTS_DIR: z.string().trim().min(1).optional(),
  BOB_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
    .transform((u) => u.replace(/\/+$/, ''))
    .optional(),
  BOB_LLM_BASE_URL: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).optional(),
  BOB_LLM_MODEL: z.string().trim().min(1).optional(),
  BOB_LLM_API_KEY: z.string().min(1).optional(),
  BOB_ALLOW_PRIVATE_WEBHOOKS: flag.default(false),
  BOB_ALLOW_PRIVATE_SMTP: flag.default(false),
  BOB_WEBHOOK_RETRY_SCHEDULE: durationList.optional(),
  BOB_WEBHOOK_TIMEOUT: duration.optional(),
  BOB_KNOWLEDGE_FETCH_TIMEOUT: duration.optional(),
  BOB_TRUST_PROXY: flag.default(false),
  BOB_MAX_STREAMS_PER_IP: count.default(20),
  BOB_MAX_STREAMS_PER_KEY: count.default(2000),
  BOB_MAX_STAFF_STREAMS_PER_USER: count.default(10),
  BOB_DATABASE_URL: z
    .url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL (postgres://user:password@host:5432/bob)' })
    .optional(),
  BOB_DATABASE_POOL_SIZE: count.default(10),
  BOB_INSTANCE_ID: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'must be 1-64 letters, digits, dots, dashes or underscores')
    .optional(),
  BOB_WEBHOOK_POLL: duration.default(5000),
  BOB_RETENTION_BATCH: z.coerce.number().int().min(1).max(10_000).default(500),
  BOB_WEBHOOK_LEASE: duration.optional(),
  BOB_BACKUP_DIR: z.string().trim().min(1).optional(),
  BOB_BACKUPS: z.enum(['on', 'off'], 'must be on or off').default('on'),
  BOB_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
});

export type LogLevel = z.infer<typeof EnvSchema>['BOB_LOG_LEVEL'];

export interface Config {
  host: string;
  port: number;
  dataDir: string;
  /** Explicit public URL; when unset the listening URL is used (see publicUrlFor). */
  publicUrl: string | undefined;
  llm: { baseUrl?: string; model?: string; apiKey?: string };
  webhooks: {
    /** BOB_ALLOW_PRIVATE_WEBHOOKS: loopback/private targets allowed (local integrations). */
    allowPrivate: boolean;
    /** Waits between attempts; unset = the Standard Webhooks schedule. */
    retryScheduleMs?: number[];
    timeoutMs?: number;
  };
  /** BOB_ALLOW_PRIVATE_SMTP: a business's SMTP server (Settings → Email) may be a loopback or private address. */
  smtp: { allowPrivate: boolean };
  /** Knowledge pages imported from a business's site: BOB_KNOWLEDGE_FETCH_TIMEOUT (default 5 s, for the whole fetch). */
  knowledge: { fetchTimeoutMs?: number };
  /** Behind a reverse proxy: take the client IP and https from X-Forwarded-For/-Proto. */
  trustProxy: boolean;
  /** Live streams open at once: visitors per address and per widget key, staff per user. */
  streams: { perIp: number; perKey: number; perStaffUser: number };
  logLevel: LogLevel;
  /**
   * BOB_DATABASE_URL: PostgreSQL (the server mode: any number of instances on one database);
   * unset: the embedded SQLite file in the data dir. `poolSize`: connections per instance.
   */
  database: { url?: string; poolSize: number };
  /** This process among the instances on one database: BOB_INSTANCE_ID, else host-pid-random. */
  instanceId: string;
  /** Server mode: how often each instance looks for webhook deliveries a notification may have missed (BOB_WEBHOOK_POLL, default 5 s), and how long a delivery's lease lasts (BOB_WEBHOOK_LEASE, default the timeout + 20 s). */
  webhookCoordination: { pollMs: number; leaseMs?: number };
  /** How many conversations one run of the retention job removes at most (BOB_RETENTION_BATCH, default 500). */
  retentionBatch: number;
  /** Automatic daily backups of the SQLite data dir: BOB_BACKUPS=off turns them off; BOB_BACKUP_DIR (default <data dir>/backups). */
  backups: { dir: string; automatic: boolean };
  /** Files sent in conversations: BOB_ATTACHMENTS_DIR (default <data dir>/attachments); instances on one PostgreSQL database must share it. */
  attachments: { dir: string };
  /** Set in the environment: Settings → Connection shows these read-only. */
  fromEnvironment: { publicUrl: boolean; host: boolean; port: boolean };
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration: ' + problems.map((p) => `${p.variable} ${p.message}`).join('; '),
    );
  }
}

export function defaultDataDir(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home = os.homedir(),
): string {
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Bob');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Bob');
  return path.join(env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'bob');
}

/** Parses the BOB_* environment once; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith('BOB_') && v !== undefined && v !== ''),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({ variable: String(i.path[0]), message: i.message })),
    );
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.BOB_DATA_DIR ?? defaultDataDir());
  return {
    host: e.BOB_HOST,
    port: e.BOB_PORT,
    dataDir,
    publicUrl: e.BOB_PUBLIC_URL,
    llm: { baseUrl: e.BOB_LLM_BASE_URL, model: e.BOB_LLM_MODEL, apiKey: e.BOB_LLM_API_KEY },
    webhooks: { allowPrivate: e.BOB_ALLOW_PRIVATE_WEBHOOKS, retryScheduleMs: e.BOB_WEBHOOK_RETRY_SCHEDULE, timeoutMs: e.BOB_WEBHOOK_TIMEOUT },
    smtp: { allowPrivate: e.BOB_ALLOW_PRIVATE_SMTP },
    knowledge: { fetchTimeoutMs: e.BOB_KNOWLEDGE_FETCH_TIMEOUT },
    trustProxy: e.BOB_TRUST_PROXY,
    streams: { perIp: e.BOB_MAX_STREAMS_PER_IP, perKey: e.BOB_MAX_STREAMS_PER_KEY, perStaffUser: e.BOB_MAX_STAFF_STREAMS_PER_USER },
    logLevel: e.BOB_LOG_LEVEL,
    database: { url: e.BOB_DATABASE_URL, poolSize: e.BOB_DATABASE_POOL_SIZE },
    instanceId: e.BOB_INSTANCE_ID ?? `${os.hostname()}-${process.pid}-${randomBytes(2).toString('hex')}`,
    webhookCoordination: { pollMs: e.BOB_WEBHOOK_POLL, leaseMs: e.BOB_WEBHOOK_LEASE },
    retentionBatch: e.BOB_RETENTION_BATCH,
    backups: { dir: path.resolve(e.BOB_BACKUP_DIR ?? path.join(dataDir, 'backups')), automatic: e.BOB_BACKUPS === 'on' },
    attachments: { dir: path.resolve(e.BOB_ATTACHMENTS_DIR ?? path.join(dataDir, 'attachments')) },
    fromEnvironment: { publicUrl: 'BOB_PUBLIC_URL' in present, host: 'BOB_HOST' in present, port: 'BOB_PORT' in present },
  };
}

export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
