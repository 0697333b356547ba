/**
 * Reading and writing plain tables as CSV or XLSX: the file-format half of questionnaire
 * import and export. Pure functions over buffers: no HTTP, no database.
 *
 * Reading never throws on a bad file: it answers with problems, each with the line (CSV) or
 * row (XLSX) number a person sees in their editor, the header being line 1.
 *
 * Formula injection: a spreadsheet evaluates a cell that starts with `=`, `+`, `-` or `@`
 * (and some also after a leading tab or CR), so a vendor's answer like `=HYPERLINK(...)`
 * would run in a reviewer's Excel. Every written cell starting with one of those gets a
 * leading `'`, and reading strips that one `'` again (see `neutraliseCell`/`restoreCell`).
 */
import { parse as parseCsv, CsvError } from 'csv-parse/sync';
import { readSheet } from 'read-excel-file/node';
import writeXlsxFile from 'write-excel-file/node';

export interface TableRow {
  /** 1-based line (CSV) or row (XLSX) number in the file; the header is line 1. */
  line: number;
  /** Cells by header name (lower-cased, trimmed); a missing cell is ''. */
  cells: Record<string, string>;
}

export interface TableProblem {
  /** Line or row in the file; null when the problem is not about one line. */
  line: number | null;
  column?: string;
  message: string;
}

export interface Table {
  header: string[];
  rows: string[][];
}

export type TableKind = 'csv' | 'xlsx';

/** Data rows read from one file at most; more is a problem. */
export const MAX_TABLE_ROWS = 5000;

/** A cell a spreadsheet could run as a formula, behind any number of apostrophes already there. */
const FORMULA_START = /^'*[=+\-@\t\r]/;

/**
 * Prefixes `'` to a cell that starts with `=`, `+`, `-`, `@`, tab or CR. A cell that already
 * starts with apostrophes before such a character gets one more, so that `restoreCell`
 * gives back exactly what was written.
 */
export function neutraliseCell(value: string): string {
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** Undoes `neutraliseCell`: strips one leading `'` before a formula character. */
export function restoreCell(value: string): string {
  return value.startsWith("'") && FORMULA_START.test(value) ? value.slice(1) : value;
}

export function formatTableProblem(p: TableProblem): string {
  const where = [p.line !== null ? `line ${p.line}` : '', p.column ? `column ${p.column}` : ''].filter(Boolean).join(', ');
  return where ? `${where}: ${p.message}` : p.message;
}

/** Reads the first worksheet (XLSX) or the whole file (CSV) into rows keyed by header name. */
export async function readTable(data: Buffer, kind: TableKind): Promise<{ rows: TableRow[]; problems: TableProblem[] }> {
  const read = kind === 'csv' ? readCsvRecords(data) : await readXlsxRecords(data);
  if ('problem' in read) return { rows: [], problems: [read.problem] };
  return recordsToRows(read.records);
}

interface RawRecord {
  line: number;
  cells: string[];
}

function recordsToRows(records: RawRecord[]): { rows: TableRow[]; problems: TableProblem[] } {
  const problems: TableProblem[] = [];
  const isBlank = (cells: string[]) => cells.every((c) => c.trim() === '');
  const first = records[0];
  if (!first || first.line !== 1 || isBlank(first.cells)) {
    return { rows: [], problems: [{ line: 1, message: records.some((r) => !isBlank(r.cells)) ? 'line 1 must hold the column names' : 'the file holds no data' }] };
  }

  const names = first.cells.map((c) => c.trim().toLowerCase());
  const columns: { index: number; name: string }[] = [];
  const seen = new Set<string>();
  names.forEach((name, index) => {
    if (!name) return;
    if (seen.has(name)) problems.push({ line: 1, column: name, message: `column '${name}' appears more than once; only the first is read` });
    else columns.push({ index, name });
    seen.add(name);
  });
  /** Columns with a header name, repeated ones included (those are reported once, above). */
  const named = new Set(names.flatMap((name, index) => (name ? [index] : [])));

  const rows: TableRow[] = [];
  const unnamedReported = new Set<number>();
  for (const record of records.slice(1)) {
    if (isBlank(record.cells)) continue;
    if (rows.length === MAX_TABLE_ROWS) {
      problems.push({ line: record.line, message: `the file has more than ${MAX_TABLE_ROWS} rows; only the first ${MAX_TABLE_ROWS} are read` });
      break;
    }
    record.cells.forEach((cell, index) => {
      if (named.has(index) || cell.trim() === '' || unnamedReported.has(index)) return;
      unnamedReported.add(index);
      problems.push({ line: record.line, message: `column ${index + 1} holds data but has no name in line 1` });
    });
    const cells: Record<string, string> = {};
    for (const c of columns) cells[c.name] = record.cells[c.index] ?? '';
    rows.push({ line: record.line, cells });
  }
  return { rows, problems };
}

// ---- CSV -------------------------------------------------------------------------------

function readCsvRecords(data: Buffer): { records: RawRecord[] } | { problem: TableProblem } {
  if (data.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return { problem: { line: null, message: 'this is an XLSX (zip) file, not CSV' } };
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return { problem: { line: null, message: 'the file is not UTF-8 text; save it as "CSV UTF-8"' } };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\u0000')) return { problem: { line: null, message: 'the file is not a text file' } };
  text = text.replace(/\r\n/g, '\n');
  if (text.trim() === '') return { problem: { line: 1, message: 'the file holds no data' } };

  const delimiter = detectDelimiter(text);
  let parsed: { record: string[]; raw: string }[];
  try {
    parsed = parseCsv(text, { delimiter, relax_column_count: true, relax_quotes: true, skip_empty_lines: false, raw: true }) as unknown as {
      record: string[];
      raw: string;
    }[];
  } catch (err) {
    if (err instanceof CsvError) {
      const line = err.code === 'CSV_QUOTE_NOT_CLOSED' ? unclosedQuoteLine(text, delimiter) : (err as CsvError & { lines?: number }).lines;
      return { problem: { line: typeof line === 'number' ? line : null, message: `the file is not valid CSV: ${err.message.replace(/^[^:]*: /, '')}` } };
    }
    return { problem: { line: null, message: `the file cannot be read as CSV: ${err instanceof Error ? err.message : String(err)}` } };
  }
  const records: RawRecord[] = [];
  let line = 1;
  for (const { record, raw } of parsed) {
    records.push({ line, cells: record.map(restoreCell) });
    line += (raw.match(/\n/g) ?? []).length;
  }
  return { records };
}

/** The line of the quote that opens a field and is never closed (the parser only knows where it gave up). */
function unclosedQuoteLine(text: string, delimiter: string): number | null {
  let line = 1;
  let openedOn: number | null = null;
  let fieldStart = true;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (openedOn !== null) {
      if (c === '"' && text[i + 1] === '"') i++;
      else if (c === '"') openedOn = null;
      else if (c === '\n') line++;
      continue;
    }
    if (c === '"' && fieldStart) openedOn = line;
    if (c === '\n') line++;
    fieldStart = c === delimiter || c === '\n';
  }
  return openedOn;
}

/** `;` when the header line (outside quotes) holds more semicolons than commas, as Excel writes CSV in many locales; else `,`. */
function detectDelimiter(text: string): ',' | ';' {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const c of text) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '\n') break;
    else if (!quoted && c === ',') commas++;
    else if (!quoted && c === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/** RFC 4180 with CRLF and a UTF-8 BOM (so Excel reads Chinese correctly); every cell neutralised against formulas. */
export function writeCsv(table: Table): Buffer {
  const field = (value: string) => {
    const v = neutraliseCell(value);
    return /[",;\r\n]|^\s|\s$/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
  };
  const lines = [table.header, ...table.rows].map((row) => row.map(field).join(','));
  return Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');
}

// ---- XLSX ------------------------------------------------------------------------------

type XlsxCell = string | number | boolean | Date | null | undefined;

function readXlsxCell(value: XlsxCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return '';
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'number') return String(value);
  return restoreCell(value);
}

/** Numbers come as the text stored in the file ("1", "0.25", "1E-3"); shown as JavaScript prints them: no trailing ".0". */
function xlsxNumber(text: string): string {
  const n = Number(text);
  return Number.isFinite(n) ? String(n) : text;
}

async function readXlsxRecords(data: Buffer): Promise<{ records: RawRecord[] } | { problem: TableProblem }> {
  if (data.subarray(0, 4).equals(Buffer.from('D0CF11E0', 'hex'))) {
    return { problem: { line: null, message: 'this is an old Excel 97–2003 (.xls) file; save it as .xlsx' } };
  }
  if (!data.subarray(0, 4).equals(Buffer.from('PK\x03\x04', 'latin1'))) return { problem: { line: null, message: 'the file is not an XLSX workbook' } };
  let sheet: XlsxCell[][];
  try {
    // Numbers are kept as the text in the file so that none is rounded on the way.
    sheet = (await readSheet<string>(data, 1, { parseNumber: (s) => `\u0000${s}`, trim: false })) as unknown as XlsxCell[][];
  } catch (err) {
    return { problem: { line: null, message: `the XLSX workbook cannot be read: ${err instanceof Error ? err.message : String(err)}` } };
  }
  // The library returns row 1 first, blank rows included, so the index gives the row number.
  return {
    records: sheet.map((row, index) => ({
      line: index + 1,
      cells: row.map((cell) => (typeof cell === 'string' && cell.startsWith('\u0000') ? xlsxNumber(cell.slice(1)) : readXlsxCell(cell))),
    })),
  };
}

/** A plain non-negative decimal, written as an XLSX number so that Excel can sum and sort it. */
const PLAIN_NUMBER = /^(0|[1-9]\d{0,14})(\.\d{1,12})?$/;

/** Characters a cell of this text needs, counting East Asian wide characters twice. */
function displayWidth(text: string): number {
  return Math.max(
    0,
    ...text.split('\n').map((line) => [...line].reduce((w, ch) => w + (/[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1), 0)),
  );
}

/** Excel refuses sheet names over 31 characters, empty ones, and those with []:*?/\ or a leading/trailing '. */
function safeSheetName(name: string): string {
  const cleaned = [...name.replace(/[[\]:*?/\\]/g, '_').replace(/^'+|'+$/g, '')].slice(0, 31).join('').trim();
  return cleaned || 'Sheet1';
}

const MIN_WIDTH = 8;
const MAX_WIDTH = 60;

/** One worksheet: bold header row frozen at the top, columns sized to their content (8–60 characters), long text wrapped. */
export async function writeXlsx(table: Table, sheetName: string): Promise<Buffer> {
  const widths = table.header.map((h, i) =>
    Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, displayWidth(h) + 2, ...table.rows.map((r) => displayWidth(r[i] ?? '') + 1))),
  );
  const header = table.header.map((h) => ({ value: neutraliseCell(h), type: String, fontWeight: 'bold' as const }));
  const rows = table.rows.map((row) =>
    table.header.map((_h, i) => {
      const value = row[i] ?? '';
      if (value === '') return null;
      if (PLAIN_NUMBER.test(value) && String(Number(value)) === value) return { value: Number(value), type: Number };
      const long = displayWidth(value) > widths[i] || value.includes('\n');
      return { value: neutraliseCell(value), type: String, ...(long ? { wrap: true, alignVertical: 'top' as const } : {}) };
    }),
  );
  return writeXlsxFile([header, ...rows], { sheet: safeSheetName(sheetName), stickyRowsCount: 1, columns: widths.map((width) => ({ width })) }).toBuffer();
}
