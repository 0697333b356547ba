/**
 * What kind of file an upload is, decided by its bytes; the name's extension must agree.
 * Pure: no I/O, no Nest. The caller passes the whole file (text and ZIP checks read all of it).
 */

export type FileKind = 'pdf' | 'png' | 'jpg' | 'docx' | 'xlsx' | 'csv' | 'txt';

export type FileTypeRefusal = 'empty' | 'unknown_content' | 'name_mismatch' | 'bad_name';

export type FileTypeResult = { ok: true; kind: FileKind; mime: string } | { ok: false; reason: FileTypeRefusal };

export const FILE_MIME: Readonly<Record<FileKind, string>> = {
  pdf: 'application/pdf',
  png: 'image/png',
  jpg: 'image/jpeg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
};

/** Extensions (lower case, without the dot) each kind may be named with. */
const EXTENSIONS: Readonly<Record<FileKind, readonly string[]>> = {
  pdf: ['pdf'],
  png: ['png'],
  jpg: ['jpg', 'jpeg'],
  docx: ['docx'],
  xlsx: ['xlsx'],
  csv: ['csv'],
  txt: ['txt'],
};

export const MAX_NAME_LENGTH = 255;

const PDF_MAGIC = Buffer.from('%PDF-', 'latin1');
const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const JPG_MAGIC = Buffer.from([0xff, 0xd8, 0xff]);
const ZIP_LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
/** Fixed part of a ZIP local file header; the name follows it. */
const ZIP_LOCAL_HEADER_SIZE = 30;

/**
 * C0 and C1 controls, DEL, and the Unicode bidirectional controls (which can make
 * `invoice\u202Efdp.exe` display as `invoiceexe.pdf`).
 */
// eslint-disable-next-line no-control-regex
const NAME_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** C0 controls other than tab, LF and CR (NUL included). */
// eslint-disable-next-line no-control-regex
const TEXT_CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/;

export function detectFileType(head: Buffer, fileName: string): FileTypeResult {
  if (!isAcceptableName(fileName)) return { ok: false, reason: 'bad_name' };
  if (head.length === 0) return { ok: false, reason: 'empty' };

  const ext = extensionOf(fileName);
  const kind = contentKind(head, ext);
  if (kind === undefined) return { ok: false, reason: 'unknown_content' };
  if (ext === undefined || !EXTENSIONS[kind].includes(ext)) return { ok: false, reason: 'name_mismatch' };
  return { ok: true, kind, mime: FILE_MIME[kind] };
}

/** The name rules of `detectFileType`'s `bad_name`. */
export function isAcceptableName(name: unknown): name is string {
  if (typeof name !== 'string' || name.length === 0 || name.length > MAX_NAME_LENGTH) return false;
  if (name.includes('/') || name.includes('\\') || NAME_CONTROL.test(name)) return false;
  if (name === '.' || name.startsWith('..')) return false;
  return true;
}

/**
 * A name fit for display and for `Content-Disposition`: NFC, without controls or path
 * separators, trimmed, at most 255 characters (the extension kept), never empty or dot-led.
 */
export function sanitizeDisplayName(name: string): string {
  let clean = String(name ?? '')
    .normalize('NFC')
    .replace(new RegExp(NAME_CONTROL.source, 'g'), '')
    .replace(/[/\\]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '');
  if (clean.length > MAX_NAME_LENGTH) {
    const dot = clean.lastIndexOf('.');
    const ext = dot > 0 && clean.length - dot <= 16 ? clean.slice(dot) : '';
    let stem = '';
    for (const ch of clean.slice(0, clean.length - ext.length)) {
      if (stem.length + ch.length + ext.length > MAX_NAME_LENGTH) break;
      stem += ch;
    }
    clean = stem.trimEnd() + ext;
  }
  return clean === '' ? 'file' : clean;
}

function extensionOf(name: string): string | undefined {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : undefined;
}

function contentKind(data: Buffer, ext: string | undefined): FileKind | undefined {
  if (startsWith(data, PDF_MAGIC)) return 'pdf';
  if (startsWith(data, PNG_MAGIC)) return 'png';
  if (startsWith(data, JPG_MAGIC)) return 'jpg';
  if (startsWith(data, ZIP_LOCAL_HEADER)) return officeKind(data);
  if (isPlainText(data)) return ext === 'csv' ? 'csv' : 'txt';
  return undefined;
}

function startsWith(data: Buffer, magic: Buffer): boolean {
  return data.length >= magic.length && data.subarray(0, magic.length).equals(magic);
}

/**
 * docx / xlsx: a ZIP holding `[Content_Types].xml` and entries under `word/` resp. `xl/`.
 * Reads the name of every local file header found in the buffer (no central directory needed).
 */
function officeKind(data: Buffer): 'docx' | 'xlsx' | undefined {
  let contentTypes = false;
  let word = false;
  let xl = false;
  for (let at = data.indexOf(ZIP_LOCAL_HEADER); at !== -1; at = data.indexOf(ZIP_LOCAL_HEADER, at + ZIP_LOCAL_HEADER.length)) {
    if (at + ZIP_LOCAL_HEADER_SIZE > data.length) break;
    const nameLength = data.readUInt16LE(at + 26);
    const nameStart = at + ZIP_LOCAL_HEADER_SIZE;
    if (nameLength === 0 || nameStart + nameLength > data.length) continue;
    const name = data.toString('latin1', nameStart, nameStart + nameLength);
    if (name === '[Content_Types].xml') contentTypes = true;
    else if (name.startsWith('word/')) word = true;
    else if (name.startsWith('xl/')) xl = true;
  }
  if (!contentTypes || word === xl) return undefined;
  return word ? 'docx' : 'xlsx';
}

function isPlainText(data: Buffer): boolean {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    return false;
  }
  return !TEXT_CONTROL.test(text);
}
