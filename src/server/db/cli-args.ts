/**
 * The `--from <x> --to <y>` arguments the server's command-line tools take (`--from=x` too), as
 * given, plus any `extra` options a tool takes the same way (migrate-to-postgres: `--files`);
 * `help` asks for the usage; `error` says what is wrong with them.
 */
export function parseFromTo<E extends string = never>(argv: string[], extra: readonly E[] = []): Partial<Record<'from' | 'to' | E, string>> | { help: true } | { error: string } {
  const names = new Set<string>(['from', 'to', ...extra]);
  const values: Partial<Record<string, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { help: true };
    const m = /^--([a-z]+)(?:=(.*))?$/.exec(arg);
    if (!m || !names.has(m[1]!)) return { error: `Unknown argument: ${arg}` };
    const name = m[1]!;
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === '' || (m[2] === undefined && value.startsWith('--'))) return { error: `--${name} needs a value` };
    if (values[name] !== undefined) return { error: `--${name} is given twice` };
    values[name] = value;
  }
  return values as Partial<Record<'from' | 'to' | E, string>>;
}
