/**
 * What kind of file an upload is, decided by its bytes; the name's extension must agree.
 * Pure: no I/O, no Nest. Text and ZIP checks read all of the file: `detectFileType` takes it
 * whole, `FileTypeSniffer` chunk by chunk as an upload streams in.
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

export function detectFileType(data: Buffer, fileName: string): FileTypeResult {
  const sniffer = new FileTypeSniffer();
  sniffer.push(data);
  return sniffer.result(fileName);
}

/** The first bytes that tell a kind by its magic number. */
const MAGIC_BYTES = 8;
/** Enough of a ZIP entry name to classify it (`[Content_Types].xml` is the longest needed). */
const ZIP_NAME_NEEDED = 19;

/**
 * `detectFileType` for a file that arrives in chunks (an upload streamed to disk): the same
 * result, without ever holding the file. Magic numbers come from the first bytes; a ZIP's entry
 * names and a text's UTF-8 and control characters are checked chunk by chunk.
 */
export class FileTypeSniffer {
  private head = Buffer.alloc(0);
  private mode: 'undecided' | 'magic' | 'zip' | 'text' = 'undecided';
  private magicKind: FileKind | undefined;
  private size = 0;
  // text
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  private textOk = true;
  // zip
  private zipPending = Buffer.alloc(0);
  private contentTypes = false;
  private word = false;
  private xl = false;

  push(chunk: Buffer): void {
    if (!chunk.length) return;
    this.size += chunk.length;
    if (this.mode === 'undecided') {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < MAGIC_BYTES) return;
      this.decide();
      const held = this.head;
      this.head = held.subarray(0, MAGIC_BYTES);
      this.feed(held);
      return;
    }
    this.feed(chunk);
  }

  result(fileName: string): FileTypeResult {
    if (!isAcceptableName(fileName)) return { ok: false, reason: 'bad_name' };
    if (this.size === 0) return { ok: false, reason: 'empty' };
    if (this.mode === 'undecided') {
      this.decide();
      this.feed(this.head);
    }
    const ext = extensionOf(fileName);
    const kind = this.kind(ext);
    if (kind === undefined) return { ok: false, reason: 'unknown_content' };
    if (ext === undefined || !EXTENSIONS[kind].includes(ext)) return { ok: false, reason: 'name_mismatch' };
    return { ok: true, kind, mime: FILE_MIME[kind] };
  }

  private decide(): void {
    const head = this.head;
    if (startsWith(head, PDF_MAGIC)) this.magicKind = 'pdf';
    else if (startsWith(head, PNG_MAGIC)) this.magicKind = 'png';
    else if (startsWith(head, JPG_MAGIC)) this.magicKind = 'jpg';
    this.mode = this.magicKind ? 'magic' : startsWith(head, ZIP_LOCAL_HEADER) ? 'zip' : 'text';
  }

  private feed(chunk: Buffer): void {
    if (this.mode === 'text') this.feedText(chunk);
    else if (this.mode === 'zip') this.feedZip(chunk);
  }

  private feedText(chunk: Buffer): void {
    if (!this.textOk) return;
    try {
      if (TEXT_CONTROL.test(this.decoder.decode(chunk, { stream: true }))) this.textOk = false;
    } catch {
      this.textOk = false;
    }
  }

  /** Reads the name of every local file header, also across chunk boundaries (no central directory needed). */
  private feedZip(chunk: Buffer): void {
    const buf = this.zipPending.length ? Buffer.concat([this.zipPending, chunk]) : chunk;
    let pos = 0;
    for (;;) {
      const at = buf.indexOf(ZIP_LOCAL_HEADER, pos);
      if (at === -1) {
        // A signature may be split across chunks: keep its possible start.
        this.zipPending = Buffer.from(buf.subarray(Math.max(pos, buf.length - (ZIP_LOCAL_HEADER.length - 1))));
        return;
      }
      if (at + ZIP_LOCAL_HEADER_SIZE > buf.length) {
        this.zipPending = Buffer.from(buf.subarray(at));
        return;
      }
      const nameLength = buf.readUInt16LE(at + 26);
      const nameStart = at + ZIP_LOCAL_HEADER_SIZE;
      const needed = Math.min(nameLength, ZIP_NAME_NEEDED);
      if (nameStart + needed > buf.length) {
        this.zipPending = Buffer.from(buf.subarray(at));
        return;
      }
      if (nameLength > 0) {
        const name = buf.toString('latin1', nameStart, nameStart + needed);
        if (nameLength === ZIP_NAME_NEEDED && name === '[Content_Types].xml') this.contentTypes = true;
        else if (name.startsWith('word/')) this.word = true;
        else if (name.startsWith('xl/')) this.xl = true;
      }
      pos = at + ZIP_LOCAL_HEADER.length;
    }
  }

  private kind(ext: string | undefined): FileKind | undefined {
    if (this.mode === 'magic') return this.magicKind;
    if (this.mode === 'zip') {
      if (!this.contentTypes || this.word === this.xl) return undefined;
      return this.word ? 'docx' : 'xlsx';
    }
    if (this.textOk) {
      try {
        if (TEXT_CONTROL.test(this.decoder.decode())) this.textOk = false;
      } catch {
        this.textOk = false;
      }
    }
    if (!this.textOk) return undefined;
    return ext === 'csv' ? 'csv' : 'txt';
  }
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

function startsWith(data: Buffer, magic: Buffer): boolean {
  return data.length >= magic.length && data.subarray(0, magic.length).equals(magic);
}
