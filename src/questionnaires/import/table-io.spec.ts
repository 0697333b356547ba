import * as zlib from 'node:zlib';
import { formatTableProblem, MAX_TABLE_ROWS, neutraliseCell, readTable, restoreCell, writeCsv, writeXlsx } from './table-io';

// ---- a minimal zip reader and writer, to look inside XLSX files and to make odd ones ----

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** Stored (uncompressed) zip of the given files. */
function zip(files: Record<string, string>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, text] of Object.entries(files)) {
    const data = Buffer.from(text, 'utf8');
    const nameBuf = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const centralBuf = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(files).length, 8);
  end.writeUInt16LE(Object.keys(files).length, 10);
  end.writeUInt32LE(centralBuf.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, centralBuf, end]);
}

/** Every file of a zip, as text (stored or deflated entries). */
function unzip(buf: Buffer): Map<string, string> {
  const files = new Map<string, string>();
  const endAt = buf.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = buf.readUInt32LE(endAt + 16);
  for (let i = 0; i < buf.readUInt16LE(endAt + 10); i++) {
    const method = buf.readUInt16LE(at + 10);
    const size = buf.readUInt32LE(at + 20);
    const nameLength = buf.readUInt16LE(at + 28);
    const extra = buf.readUInt16LE(at + 30) + buf.readUInt16LE(at + 32);
    const name = buf.toString('utf8', at + 46, at + 46 + nameLength);
    const local = buf.readUInt32LE(at + 42);
    const dataAt = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const raw = buf.subarray(dataAt, dataAt + size);
    files.set(name, (method === 8 ? zlib.inflateRawSync(raw) : raw).toString('utf8'));
    at += 46 + nameLength + extra;
  }
  return files;
}

/** A workbook as other tools write it: shared strings with rich text, inline strings, numbers stored as "2.0", booleans, two sheets. */
function handMadeWorkbook(sheet1Rows: string, sheet2Rows = '<row r="1"><c r="A1" t="inlineStr"><is><t>other sheet</t></is></c></row>'): Buffer {
  const sheet = (rows: string) =>
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;
  return zip({
    '[Content_Types].xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/worksheets/sheet2.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    '_rels/.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    'xl/workbook.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Questions" sheetId="1" r:id="rId1"/><sheet name="Notes" sheetId="2" r:id="rId2"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/><Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    'xl/sharedStrings.xml':
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="4" uniqueCount="4"><si><t>Key</t></si><si><r><rPr><b/></rPr><t>We</t></r><r><t xml:space="preserve">ight </t></r></si><si><r><t>Rich</t></r><r><rPr><i/></rPr><t xml:space="preserve"> text</t></r></si><si><t>\'=SUM(A1:A2)</t></si></sst>',
    'xl/worksheets/sheet1.xml': sheet(sheet1Rows),
    'xl/worksheets/sheet2.xml': sheet(sheet2Rows),
  });
}

describe('formula injection', () => {
  it.each([
    ['=1+2', "'=1+2"],
    ['+33 1 23', "'+33 1 23"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', "'\rx"],
    ["'=already", "''=already"],
    ['plain', 'plain'],
    ["'quoted'", "'quoted'"],
    ['a=b', 'a=b'],
    ['', ''],
  ])('neutralises %j as %j and restores it', (value, written) => {
    expect(neutraliseCell(value)).toBe(written);
    expect(restoreCell(written)).toBe(value);
  });

  it('strips only one apostrophe, and only before a formula character', () => {
    expect(restoreCell("'=x")).toBe('=x');
    expect(restoreCell("''=x")).toBe("'=x");
    expect(restoreCell("'abc")).toBe("'abc");
  });
});

describe('writeCsv', () => {
  it('writes UTF-8 with a BOM, CRLF, quotes where needed and neutralised formulas', () => {
    const csv = writeCsv({
      header: ['key', 'text'],
      rows: [
        ['a', '=HYPERLINK("http://x")'],
        ['b', 'two\nlines; and, commas'],
        ['c', '中文 -1'],
        ['d', '-1'],
      ],
    });
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString('utf8').slice(1)).toBe('key,text\r\na,"\'=HYPERLINK(""http://x"")"\r\nb,"two\nlines; and, commas"\r\nc,中文 -1\r\nd,\'-1\r\n');
  });
});

describe('readTable (CSV)', () => {
  const csv = (text: string) => readTable(Buffer.from(text, 'utf8'), 'csv');

  it('reads a comma CSV: header lower-cased and trimmed, line numbers as an editor shows them', async () => {
    const { rows, problems } = await csv(' Key ,TEXT,Weight\nq1,"first\nsecond line",1\n\nq2,plain,\n,,\nq3,"say ""hi""",2.5\n');
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 2, cells: { key: 'q1', text: 'first\nsecond line', weight: '1' } },
      { line: 5, cells: { key: 'q2', text: 'plain', weight: '' } },
      { line: 7, cells: { key: 'q3', text: 'say "hi"', weight: '2.5' } },
    ]);
  });

  it('reads a semicolon CSV with a BOM and CRLF, as Excel saves it in many locales', async () => {
    const data = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('key;text;weight\r\nq1;Hello, world;0,5\r\nq2;"a;b\r\nc";1\r\nq3;中文;2\r\n', 'utf8')]);
    const { rows, problems } = await readTable(data, 'csv');
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 2, cells: { key: 'q1', text: 'Hello, world', weight: '0,5' } },
      { line: 3, cells: { key: 'q2', text: 'a;b\nc', weight: '1' } },
      { line: 5, cells: { key: 'q3', text: '中文', weight: '2' } },
    ]);
  });

  it('takes the separator from the header, not from the data', async () => {
    const { rows } = await csv('key,text\nq1,"a;b;c;d"\n');
    expect(rows[0].cells).toEqual({ key: 'q1', text: 'a;b;c;d' });
  });

  it("strips the apostrophe that neutralised a formula, and reads writeCsv's output back exactly", async () => {
    const table = { header: ['key', 'text'], rows: [['a', '=1+2'], ['b', '@x'], ['c', "'=kept"], ['d', 'mul\r\nti']] };
    const { rows, problems } = await readTable(writeCsv(table), 'csv');
    expect(problems).toEqual([]);
    expect(rows.map((r) => r.cells.text)).toEqual(['=1+2', '@x', "'=kept", 'mul\nti']);
    expect(rows.map((r) => r.line)).toEqual([2, 3, 4, 5]);
  });

  it.each([
    ['invalid UTF-8', Buffer.from('key,text\nq1,caf\xe9\n', 'latin1'), { line: null, message: 'the file is not UTF-8 text; save it as "CSV UTF-8"' }],
    ['an empty file', Buffer.from('\uFEFF\n\n', 'utf8'), { line: 1, message: 'the file holds no data' }],
    ['an XLSX sent as CSV', Buffer.from('PK\x03\x04rest', 'latin1'), { line: null, message: 'this is an XLSX (zip) file, not CSV' }],
    ['a header not on line 1', Buffer.from('\nkey,text\nq1,a\n'), { line: 1, message: 'line 1 must hold the column names' }],
    ['a binary file', Buffer.from('key\u0000,text'), { line: null, message: 'the file is not a text file' }],
  ])('refuses %s with a problem', async (_name, data, problem) => {
    await expect(readTable(data, 'csv')).resolves.toEqual({ rows: [], problems: [problem] });
  });

  it('reports an unclosed quote with its line', async () => {
    const { rows, problems } = await csv('key,text\nq1,ok\nq2,"never closed\nq3,x\n');
    expect(rows).toEqual([]);
    expect(problems).toEqual([{ line: 3, message: expect.stringMatching(/^the file is not valid CSV: .*quote/i) }]);
  });

  it('reports repeated column names and data under no column name', async () => {
    const { rows, problems } = await csv('key,Key,text\nq1,x,a,extra\nq2,y,b\n');
    expect(rows).toEqual([
      { line: 2, cells: { key: 'q1', text: 'a' } },
      { line: 3, cells: { key: 'q2', text: 'b' } },
    ]);
    expect(problems).toEqual([
      { line: 1, column: 'key', message: "column 'key' appears more than once; only the first is read" },
      { line: 2, message: 'column 4 holds data but has no name in line 1' },
    ]);
    expect(formatTableProblem(problems[1])).toBe('line 2: column 4 holds data but has no name in line 1');
    expect(formatTableProblem(problems[0])).toBe("line 1, column key: column 'key' appears more than once; only the first is read");
  });

  it(`reads at most ${MAX_TABLE_ROWS} rows and says so`, async () => {
    const lines = ['key'];
    for (let i = 1; i <= MAX_TABLE_ROWS + 3; i++) lines.push(`q${i}`);
    const { rows, problems } = await csv(lines.join('\n'));
    expect(rows).toHaveLength(MAX_TABLE_ROWS);
    expect(rows[MAX_TABLE_ROWS - 1]).toEqual({ line: MAX_TABLE_ROWS + 1, cells: { key: `q${MAX_TABLE_ROWS}` } });
    expect(problems).toEqual([{ line: MAX_TABLE_ROWS + 2, message: `the file has more than ${MAX_TABLE_ROWS} rows; only the first ${MAX_TABLE_ROWS} are read` }]);
  });
});

describe('readTable (XLSX)', () => {
  it('reads the first sheet: numbers without a trailing .0, booleans, rich text flattened, formulas restored', async () => {
    const book = handMadeWorkbook(
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>Text</t></is></c><c r="D1" t="inlineStr"><is><t>Critical</t></is></c></row>' +
        '<row r="2"><c r="A2" t="inlineStr"><is><t>q1</t></is></c><c r="B2"><v>2.0</v></c><c r="C2" t="s"><v>2</v></c><c r="D2" t="b"><v>1</v></c></row>' +
        '<row r="4"><c r="A4" t="inlineStr"><is><t>q2</t></is></c><c r="B4"><v>0.25</v></c><c r="C4" t="s"><v>3</v></c><c r="D4" t="b"><v>0</v></c></row>' +
        '<row r="5"><c r="A5" t="inlineStr"><is><t>q3</t></is></c><c r="B5"><v>1E-2</v></c></row>',
    );
    const { rows, problems } = await readTable(book, 'xlsx');
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 2, cells: { key: 'q1', weight: '2', text: 'Rich text', critical: 'true' } },
      { line: 4, cells: { key: 'q2', weight: '0.25', text: '=SUM(A1:A2)', critical: 'false' } },
      { line: 5, cells: { key: 'q3', weight: '0.01', text: '', critical: '' } },
    ]);
  });

  it('reads back what writeXlsx wrote, numbers and formulas included', async () => {
    const table = {
      header: ['Key', 'Text', 'Weight'],
      rows: [
        ['a', '=cmd|" /C calc"!A0', '2'],
        ['b', '中文\n第二行', '0.5'],
        ['c', '-1', '007'],
        ['d', '', '1.50'],
      ],
    };
    const { rows, problems } = await readTable(await writeXlsx(table, 'Answers'), 'xlsx');
    expect(problems).toEqual([]);
    expect(rows).toEqual([
      { line: 2, cells: { key: 'a', text: '=cmd|" /C calc"!A0', weight: '2' } },
      { line: 3, cells: { key: 'b', text: '中文\n第二行', weight: '0.5' } },
      { line: 4, cells: { key: 'c', text: '-1', weight: '007' } },
      { line: 5, cells: { key: 'd', text: '', weight: '1.50' } },
    ]);
  });

  it('writes a bold, frozen header, sized columns, numbers as numbers and neutralised text', async () => {
    const files = unzip(
      await writeXlsx(
        {
          header: ['key', 'question'],
          rows: [
            ['a', '=1+2'],
            ['b', 'x'.repeat(200)],
            ['7', '中文中文中文中文中文'],
          ],
        },
        'Bad:/name?that is far too long for excel',
      ),
    );
    const workbook = files.get('xl/workbook.xml')!;
    expect(workbook).toContain('name="Bad__name_that is far too long"');
    const sheet = files.get('xl/worksheets/sheet1.xml')!;
    expect(sheet).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/);
    const widths = [...sheet.matchAll(/<col [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(widths).toEqual([8, 60]);
    const styles = files.get('xl/styles.xml')!;
    expect(styles).toContain('<b/>');
    const allText = [...files.values()].join('\n');
    expect(allText).toContain("'=1+2");
    expect(allText).not.toMatch(/>=1\+2</);
    expect(sheet).toMatch(/<c r="A4"[^>]*><v>7<\/v><\/c>/);
  });

  it.each([
    ['a CSV sent as XLSX', Buffer.from('key,text\n'), 'the file is not an XLSX workbook'],
    ['an old .xls file', Buffer.concat([Buffer.from('D0CF11E0A1B11AE1', 'hex'), Buffer.alloc(64)]), 'this is an old Excel 97–2003 (.xls) file; save it as .xlsx'],
  ])('refuses %s with a problem', async (_name, data, message) => {
    await expect(readTable(data, 'xlsx')).resolves.toEqual({ rows: [], problems: [{ line: null, message }] });
  });

  it('refuses a broken zip with a problem instead of throwing', async () => {
    const { rows, problems } = await readTable(Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(100, 7)]), 'xlsx');
    expect(rows).toEqual([]);
    expect(problems).toEqual([{ line: null, message: expect.stringMatching(/^the XLSX workbook cannot be read: /) }]);
  });

  it('refuses a workbook whose first sheet is empty', async () => {
    await expect(readTable(handMadeWorkbook(''), 'xlsx')).resolves.toEqual({ rows: [], problems: [{ line: 1, message: 'the file holds no data' }] });
  });
});

describe('dependencies', () => {
  it('load as CommonJS under Jest', () => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    expect(typeof require('csv-parse/sync').parse).toBe('function');
    expect(typeof require('read-excel-file/node').readSheet).toBe('function');
    expect(typeof require('write-excel-file/node').default).toBe('function');
    /* eslint-enable @typescript-eslint/no-require-imports */
  });
});
