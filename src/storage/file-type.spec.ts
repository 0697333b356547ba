import { detectFileType, FILE_MIME, FileTypeSniffer, sanitizeDisplayName } from './file-type';

/** A ZIP local file header (stored, no data descriptor) followed by its data. */
function zipEntry(name: string, content = 'x'): Buffer {
  const nameBytes = Buffer.from(name, 'utf8');
  const data = Buffer.from(content, 'utf8');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4); // version needed
  header.writeUInt32LE(data.length, 18); // compressed size
  header.writeUInt32LE(data.length, 22); // uncompressed size
  header.writeUInt16LE(nameBytes.length, 26);
  return Buffer.concat([header, nameBytes, data]);
}

const zip = (...names: string[]) => Buffer.concat(names.map((n) => zipEntry(n, '<xml/>')));

const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n', 'latin1');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('\0\0\0\rIHDR', 'latin1')]);
const JPG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00]);
const DOCX = zip('[Content_Types].xml', 'word/document.xml');
const XLSX = zip('[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml');
const CSV = Buffer.from('name;amount\r\n"Müller";12\r\n"北京";\t3\n', 'utf8');
const TXT = Buffer.from('Plain notes — ünïcödé, 安全\n', 'utf8');

describe('detectFileType', () => {
  it.each([
    ['pdf', PDF, 'report.pdf'],
    ['png', PNG, 'diagram.png'],
    ['jpg', JPG, 'photo.jpg'],
    ['jpg', JPG, 'photo.JPEG'],
    ['docx', DOCX, 'policy.docx'],
    ['xlsx', XLSX, 'controls.xlsx'],
    ['csv', CSV, 'export.csv'],
    ['txt', TXT, 'notes.txt'],
    ['txt', Buffer.from('\ufeffwith a BOM\n', 'utf8'), 'bom.TXT'],
  ] as const)('recognises %s content named %s', (kind, data, name) => {
    expect(detectFileType(data, name)).toEqual({ ok: true, kind, mime: FILE_MIME[kind] });
  });

  it('gives the MIME types', () => {
    expect(detectFileType(PDF, 'a.pdf')).toMatchObject({ mime: 'application/pdf' });
    expect(detectFileType(JPG, 'a.jpg')).toMatchObject({ mime: 'image/jpeg' });
    expect(detectFileType(DOCX, 'a.docx')).toMatchObject({ mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document' });
    expect(detectFileType(XLSX, 'a.xlsx')).toMatchObject({ mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(detectFileType(CSV, 'a.csv')).toMatchObject({ mime: expect.stringMatching(/^text\/csv/) });
  });

  it('refuses an empty file', () => {
    expect(detectFileType(Buffer.alloc(0), 'empty.pdf')).toEqual({ ok: false, reason: 'empty' });
  });

  it.each([
    ['an executable', Buffer.from([0x4d, 0x5a, 0x90, 0x00, 0x03, 0x00]), 'tool.pdf'],
    ['a GIF', Buffer.from('GIF89a\x01\x00\x01\x00\x80\x00\x00', 'latin1'), 'anim.png'],
    ['text with a NUL byte', Buffer.from('abc\0def', 'latin1'), 'notes.txt'],
    ['text with another control character', Buffer.from('abc\x1bdef', 'latin1'), 'notes.csv'],
    ['invalid UTF-8', Buffer.from([0x61, 0xc3, 0x28, 0x62]), 'notes.txt'],
    ['a truncated UTF-8 sequence', Buffer.from([0x61, 0xe5, 0x8c]), 'notes.txt'],
    ['a plain ZIP', zip('readme.txt', 'src/a.ts'), 'archive.docx'],
    ['a ZIP without [Content_Types].xml', zip('word/document.xml'), 'policy.docx'],
    ['a ZIP with both word/ and xl/', zip('[Content_Types].xml', 'word/document.xml', 'xl/workbook.xml'), 'both.docx'],
    ['a bare ZIP signature', Buffer.from('PK\x03\x04', 'latin1'), 'short.xlsx'],
  ])('refuses %s as unknown content', (_what, data, name) => {
    expect(detectFileType(data, name)).toEqual({ ok: false, reason: 'unknown_content' });
  });

  it.each([
    ['text named .pdf', TXT, 'report.pdf'],
    ['a PNG named .jpg', PNG, 'photo.jpg'],
    ['a JPEG named .png', JPG, 'photo.png'],
    ['a PDF named .txt', PDF, 'report.txt'],
    ['a docx named .xlsx', DOCX, 'sheet.xlsx'],
    ['an xlsx named .zip', XLSX, 'sheet.zip'],
    ['a PDF without extension', PDF, 'report'],
    ['text named .exe', TXT, 'run.exe'],
    ['a PDF named .pdf.exe', PDF, 'report.pdf.exe'],
    ['a dot-file named after the kind', PDF, '.pdf'],
  ])('refuses %s as a name mismatch', (_what, data, name) => {
    expect(detectFileType(data, name)).toEqual({ ok: false, reason: 'name_mismatch' });
  });

  it.each([
    ['empty', ''],
    ['256 characters', `${'a'.repeat(252)}.pdf`],
    ['a slash', 'dir/report.pdf'],
    ['a backslash', 'dir\\report.pdf'],
    ['a NUL', 'report.pdf\0.txt'],
    ['a newline', 'report\n.pdf'],
    ['a DEL', 'report\x7f.pdf'],
    ['a right-to-left override', 'report\u202Efdp.exe'],
    ['"."', '.'],
    ['".."', '..'],
    ['a leading ".."', '..report.pdf'],
    ['a traversal', '../../etc/passwd.txt'],
  ])('refuses a name with %s as bad_name', (_what, name) => {
    expect(detectFileType(PDF, name)).toEqual({ ok: false, reason: 'bad_name' });
  });

  it('accepts a name of exactly 255 characters and non-ASCII names', () => {
    expect(detectFileType(PDF, `${'a'.repeat(251)}.pdf`)).toMatchObject({ ok: true, kind: 'pdf' });
    expect(detectFileType(PDF, 'Prüfbericht 安全 2026.pdf')).toMatchObject({ ok: true, kind: 'pdf' });
  });

  it('checks the name before the content', () => {
    expect(detectFileType(Buffer.alloc(0), '../x.txt')).toEqual({ ok: false, reason: 'bad_name' });
  });

  it('is not fooled by a name: content decides', () => {
    expect(detectFileType(Buffer.from('%PDF-1.4 but named as text'), 'notes.txt')).toEqual({ ok: false, reason: 'name_mismatch' });
  });
});

describe('sanitizeDisplayName', () => {
  it('keeps an ordinary name', () => {
    expect(sanitizeDisplayName('SOC 2 report (2026).pdf')).toBe('SOC 2 report (2026).pdf');
  });

  it('removes controls and bidi overrides, replaces separators, trims, and drops leading dots', () => {
    expect(sanitizeDisplayName('  ../a\\b/c\u202E\0\n.pdf ')).toBe('_a_b_c.pdf');
    expect(sanitizeDisplayName('...')).toBe('file');
    expect(sanitizeDisplayName('')).toBe('file');
  });

  it('normalises to NFC', () => {
    expect(sanitizeDisplayName('Mu\u0308ller.txt')).toBe('M\u00fcller.txt');
  });

  it('shortens to 255 characters and keeps the extension', () => {
    const out = sanitizeDisplayName(`${'安'.repeat(300)}.xlsx`);
    expect(out).toHaveLength(255);
    expect(out.endsWith('.xlsx')).toBe(true);
    expect(sanitizeDisplayName(`${'😀'.repeat(200)}.pdf`).length).toBeLessThanOrEqual(255);
    expect(sanitizeDisplayName(`${'😀'.repeat(200)}.pdf`)).not.toMatch(/[\ud800-\udbff]\./);
  });
});

describe('FileTypeSniffer: the same answer for a file that arrives in chunks', () => {
  const samples: Array<[string, Buffer, string]> = [
    ['pdf', PDF, 'report.pdf'],
    ['png', PNG, 'diagram.png'],
    ['jpg', JPG, 'photo.jpg'],
    ['docx', DOCX, 'policy.docx'],
    ['xlsx', XLSX, 'controls.xlsx'],
    ['csv', CSV, 'export.csv'],
    ['txt', TXT, 'notes.txt'],
    ['zip without content types', zip('word/document.xml'), 'x.docx'],
    ['zip with both word and xl', zip('[Content_Types].xml', 'word/a.xml', 'xl/b.xml'), 'x.xlsx'],
    ['text with a NUL at the end', Buffer.concat([TXT, Buffer.from([0])]), 'notes.txt'],
    ['text cut inside a UTF-8 sequence', TXT.subarray(0, TXT.indexOf(Buffer.from('安', 'utf8')) + 1), 'notes.txt'],
    ['a PDF named .txt', PDF, 'notes.txt'],
    ['tiny', Buffer.from('ab'), 'a.txt'],
  ];

  const inChunks = (data: Buffer, sizes: (i: number) => number) => {
    const sniffer = new FileTypeSniffer();
    for (let at = 0, i = 0; at < data.length; i++) {
      const n = Math.max(1, sizes(i));
      sniffer.push(data.subarray(at, at + n));
      at += n;
    }
    return sniffer;
  };

  it.each(samples)('%s: split at every byte, and in chunks of every size up to 64', (_label, data, name) => {
    const whole = detectFileType(data, name);
    expect(inChunks(data, () => 1).result(name)).toEqual(whole);
    for (let size = 2; size <= 64; size++) expect({ size, result: inChunks(data, () => size).result(name) }).toEqual({ size, result: whole });
  });

  it('finds the entries of a large ZIP whose headers fall across 64 KB chunks', () => {
    const padding = (n: number) => zipEntry(`media/image${n}.png`, 'p'.repeat(65_531 + n));
    const big = Buffer.concat([zipEntry('[Content_Types].xml'), padding(1), padding(2), zipEntry('xl/workbook.xml'), padding(3)]);
    expect(inChunks(big, () => 65_536).result('big.xlsx')).toEqual({ ok: true, kind: 'xlsx', mime: FILE_MIME.xlsx });
    expect(detectFileType(big, 'big.xlsx')).toEqual({ ok: true, kind: 'xlsx', mime: FILE_MIME.xlsx });
  });

  it('holds no more than a few bytes of what it has seen', () => {
    const sniffer = new FileTypeSniffer();
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    for (let i = 0; i < 30; i++) sniffer.push(chunk);
    const held = sniffer as unknown as { head: Buffer; zipPending: Buffer };
    expect(held.head.length + held.zipPending.length).toBeLessThanOrEqual(64);
    expect(sniffer.result('big.txt')).toMatchObject({ ok: true, kind: 'txt' });
  });
});
