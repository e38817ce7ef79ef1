/**
 * The `--from <x> --to <y>` arguments the server's command-line tools take (`--from=x` too), as
 * given; `help` asks for the usage; `error` says what is wrong with them.
 */
export function parseFromTo(argv: string[]): { from?: string; to?: string } | { help: true } | { error: string } {
  const values: Partial<Record<'from' | 'to', string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return { help: true };
    const m = /^--(from|to)(?:=(.*))?$/.exec(arg);
    if (!m) return { error: `Unknown argument: ${arg}` };
    const name = m[1] as 'from' | 'to';
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === '' || (m[2] === undefined && value.startsWith('--'))) return { error: `--${name} needs a value` };
    if (values[name] !== undefined) return { error: `--${name} is given twice` };
    values[name] = value;
  }
  return values;
}
