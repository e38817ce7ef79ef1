import type { LogLevel } from './config';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

// Any field whose name looks like a credential is replaced, however deep it sits.
const SECRET_KEY = /pass(word)?|secret|token|authorization|cookie|api[-_]?key|csrf|signature/i;
export const REDACTED = '[redacted]';

export function redact(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (key, v) => (key && SECRET_KEY.test(key) && v != null ? REDACTED : v)),
  );
}

export interface LogSink {
  write(line: string): unknown;
}

/** Structured JSON lines (one object per line) with credentials redacted. */
export function createLogger(
  level: LogLevel = 'info',
  sink: LogSink = process.stdout,
  base: Record<string, unknown> = {},
  now: () => Date = () => new Date(),
): Logger {
  const emit = (lvl: Exclude<LogLevel, 'silent'>, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const record = { time: now().toISOString(), level: lvl, msg, ...base, ...fields };
    sink.write(JSON.stringify(redact(record)) + '\n');
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(level, sink, { ...base, ...fields }, now),
  };
}
