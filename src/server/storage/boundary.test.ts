import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// The storage layer's rule (src/server/storage/README.md): better-sqlite3 and SQL text appear only
// in the storage layer, the connection and its migrations. Everything else reaches data through
// repositories. (Comments may name SQL; code may not hold it.)
const ROOT = path.resolve(__dirname, '../../..');
const SCANNED = ['src', 'test', 'bench', 'scripts'];
const ALLOWED = [
  'src/server/storage/',
  'src/server/db/',
  // Probes of the storage itself and the search's reference queries, for tests.
  'test/helpers/raw-sql.ts',
];

const RULES: [string, RegExp][] = [
  ['imports better-sqlite3', /^\s*import .* from ['"]better-sqlite3['"]|require\(['"]better-sqlite3['"]\)/],
  ['prepares a statement', /\.prepare(<[^>]*>)?\(/],
  ['runs SQL on the connection', /\bdb\.(exec|pragma)\(/],
  ['holds a sql`` fragment', /\bsql(<[^>]*>)?`|\bsql\.(raw|lit|ref|join|id|table|val)\(/],
  ['holds SQL text', /['"`]\s*(SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|CREATE (TABLE|INDEX|TRIGGER|VIRTUAL TABLE)|PRAGMA|WITH \w+ AS)\b/],
];

/** Code lines of a file, comments dropped (line comments and block-comment lines). */
function codeLines(text: string): { n: number; line: string }[] {
  return text
    .split('\n')
    .map((line, i) => ({ n: i + 1, line }))
    .filter(({ line }) => !/^\s*(\/\/|\/\*|\*)/.test(line));
}

function files(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') out.push(...files(rel));
    } else if (/\.(ts|tsx|mts|mjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(rel);
  }
  return out;
}

describe('the storage boundary', () => {
  it('keeps better-sqlite3 and SQL text inside the storage layer and its migrations', () => {
    const found: string[] = [];
    for (const file of SCANNED.flatMap(files)) {
      if (ALLOWED.some((a) => file.startsWith(a))) continue;
      for (const { n, line } of codeLines(fs.readFileSync(path.join(ROOT, file), 'utf8'))) {
        for (const [what, rule] of RULES) if (rule.test(line)) found.push(`${file}:${n} ${what}: ${line.trim().slice(0, 120)}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('notices SQL where it is not allowed (the rules match what they are meant to)', () => {
    const hits = (code: string) => codeLines(code).filter(({ line }) => RULES.some(([, r]) => r.test(line))).length;
    expect(hits("const rows = db.prepare('SELECT * FROM chat_sessions').all();")).toBe(1);
    expect(hits("import Database from 'better-sqlite3';")).toBe(1);
    expect(hits('q.where(sql`x = 1`)')).toBe(1);
    expect(hits("const s = 'UPDATE tenants SET name = ?';")).toBe(1);
    expect(hits('// SELECT in a comment is fine')).toBe(0);
    expect(hits("db.selectFrom('chat_sessions').selectAll()")).toBe(0);
  });
});
