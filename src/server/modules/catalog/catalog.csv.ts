import { z } from 'zod';
import {
  CATALOG_CSV_COLUMNS,
  CATALOG_MAX_ITEMS,
  CatalogItemInput,
  type CatalogCsvColumn,
  type CatalogCsvProblem,
  type CatalogItem,
} from '../../../shared/schemas/catalog';
import { HttpError } from '../../errors';
import { lazy } from '../../lazy';

// The CSV libraries load with the first import or export, not when the server starts.
const csvParse = lazy<typeof import('csv-parse/sync')>('csv-parse/sync');
const csvStringify = lazy<typeof import('csv-stringify/sync')>('csv-stringify/sync');

/** A parsed row: the item as a draft would take it, and where it came from. */
export interface CsvRow {
  line: number;
  item: z.output<typeof CatalogItemInput>;
}

// What people type in a spreadsheet for yes and no (English and Italian).
const YES = new Set(['true', 'yes', '1', 'sì', 'si']);
const NO = new Set(['false', 'no', '0']);
// Stop collecting after this many: the first few are enough to fix a file.
const MAX_PROBLEMS = 50;

const problemText = (p: CatalogCsvProblem) => `line ${p.line}${p.column ? `, column ${p.column}` : ''}: ${p.message}`;

function invalidCsv(problems: CatalogCsvProblem[]): HttpError {
  const [first] = problems;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more: see details)` : '';
  return new HttpError(400, 'invalid_csv', `${problemText(first!)}${more}. Nothing was imported.`, problems);
}

function parsePrice(raw: string): { value: number | null } | { error: string } {
  const text = raw.trim();
  if (text === '') return { value: null };
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(text)) {
    return { error: /^\d+,\d+$/.test(text) ? `"${raw}" is not a number (use . for decimals)` : `"${raw}" is not a number` };
  }
  return { value: Number(text) };
}

function parseAvailable(raw: string): { value: boolean } | { error: string } {
  const text = raw.trim().toLowerCase();
  if (text === '' || YES.has(text)) return { value: true };
  if (NO.has(text)) return { value: false };
  return { error: `"${raw}" is not one of true/false, yes/no, sì/no, 1/0 (empty means available)` };
}

/**
 * Reads a catalog CSV: a header row with exactly CATALOG_CSV_COLUMNS, then one item per row.
 * Either every row is valid or it throws 400 invalid_csv naming each bad line and column.
 */
export function parseCatalogCsv(body: Buffer): CsvRow[] {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw invalidCsv([{ line: 1, column: null, message: 'the file is not UTF-8 text: save it as "CSV UTF-8"' }]);
  }

  let records: { record: string[]; info: { lines: number; empty_lines: number } }[];
  const { parse, CsvError } = csvParse();
  try {
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: true, // counted below, to name the missing or extra column
      record_delimiter: ['\r\n', '\n', '\r'],
    }) as unknown as typeof records; // the typings miss that `info: true` wraps each record
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const line = (err as typeof err & { lines?: number }).lines ?? 1;
    const message = err.code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed (a " is missing)' : err.message.replace(/ (on|at) line \d+.*$/, '');
    throw invalidCsv([{ line, column: null, message }]);
  }

  // csv-parse reports the line a record ends on; a row starts after the previous one and any blank lines.
  let previousEnd = 0;
  let previousEmpty = 0;
  const located = records.map(({ record, info }) => {
    const line = previousEnd + 1 + (info.empty_lines - previousEmpty);
    previousEnd = info.lines;
    previousEmpty = info.empty_lines;
    return { line, record };
  });

  const [header, ...rows] = located;
  if (!header) throw invalidCsv([{ line: 1, column: null, message: `the file is empty: start with the header row ${CATALOG_CSV_COLUMNS.join(',')}` }]);
  const headerProblems = checkHeader(header.line, header.record);
  if (headerProblems.length) throw invalidCsv(headerProblems);
  if (rows.length > CATALOG_MAX_ITEMS) {
    throw invalidCsv([{ line: rows[CATALOG_MAX_ITEMS]!.line, column: null, message: `a catalog has at most ${CATALOG_MAX_ITEMS} items` }]);
  }

  const problems: CatalogCsvProblem[] = [];
  const parsed: CsvRow[] = [];
  for (const { line, record } of rows) {
    if (problems.length >= MAX_PROBLEMS) break;
    const rowProblems = checkRow(line, record);
    if ('problems' in rowProblems) problems.push(...rowProblems.problems);
    else parsed.push({ line, item: rowProblems.item });
  }
  if (problems.length) throw invalidCsv(problems.slice(0, MAX_PROBLEMS));
  return parsed;
}

function checkHeader(line: number, record: string[]): CatalogCsvProblem[] {
  const expected = CATALOG_CSV_COLUMNS.join(',');
  const got = record.map((h) => h.trim().toLowerCase());
  const problems: CatalogCsvProblem[] = [];
  CATALOG_CSV_COLUMNS.forEach((column, i) => {
    if (got[i] === column) return;
    const message =
      got[i] === undefined
        ? `the header has no "${column}" column (expected ${expected})`
        : `the header has "${record[i]}" where "${column}" belongs (expected ${expected})`;
    problems.push({ line, column, message });
  });
  if (got.length > CATALOG_CSV_COLUMNS.length) {
    problems.push({ line, column: null, message: `the header has ${got.length} columns; expected exactly ${expected}` });
  }
  return problems;
}

function checkRow(line: number, record: string[]): { item: CsvRow['item'] } | { problems: CatalogCsvProblem[] } {
  const n = CATALOG_CSV_COLUMNS.length;
  if (record.length !== n) {
    const column = record.length < n ? CATALOG_CSV_COLUMNS[record.length]! : null;
    const message =
      record.length < n
        ? `the row has ${record.length} fields, ${n} expected: "${column}" and what follows are missing`
        : `the row has ${record.length} fields, ${n} expected (a field with a comma needs "quotes")`;
    return { problems: [{ line, column, message }] };
  }
  const cell = Object.fromEntries(CATALOG_CSV_COLUMNS.map((c, i) => [c, record[i]!])) as Record<CatalogCsvColumn, string>;
  const problems: CatalogCsvProblem[] = [];
  const price = parsePrice(cell.price);
  if ('error' in price) problems.push({ line, column: 'price', message: price.error });
  const available = parseAvailable(cell.available);
  if ('error' in available) problems.push({ line, column: 'available', message: available.error });
  if (problems.length) return { problems };

  const r = CatalogItemInput.safeParse({
    name: cell.name,
    category: cell.category,
    description: cell.description,
    unit: cell.unit,
    price: 'value' in price ? price.value : null,
    available: 'value' in available && available.value,
  });
  if (r.success) return { item: r.data };
  return {
    problems: r.error.issues.map((i) => {
      const column = String(i.path[0] ?? '') as CatalogCsvColumn;
      const known = (CATALOG_CSV_COLUMNS as readonly string[]).includes(column);
      const message = column === 'name' && i.code === 'too_small' ? 'an item needs a name' : column === 'price' && i.code === 'too_small' ? `"${cell.price}" is negative: use 0 or more, or leave it empty for "price on request"` : i.message;
      return { line, column: known ? column : null, message };
    }),
  };
}

/** The catalog's items as CSV: a header row, CRLF line ends, a BOM so spreadsheets read UTF-8. */
export function catalogToCsv(items: CatalogItem[]): string {
  const rows = items.map((i) => [i.category ?? '', i.name, i.description ?? '', i.unit ?? '', i.price === null ? '' : String(i.price), String(i.available)]);
  return `\ufeff${csvStringify().stringify([[...CATALOG_CSV_COLUMNS], ...rows], { record_delimiter: '\r\n' })}`;
}
