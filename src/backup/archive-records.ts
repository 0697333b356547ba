import { ArchiveError } from './archive-crypto';

/**
 * The plaintext of an archive is a sequence of records: a type byte, a length (4 bytes,
 * big-endian) and the payload. JSON records describe; `D` records carry a file's bytes.
 *
 *   H  header: format, when, source database kind, schema (migrations applied)
 *   T  a table begins: its name and columns
 *   R  rows of the current table (a JSON array of arrays, in the columns' order)
 *   F  a stored file begins: key, size, SHA-256
 *   D  file data (at most 1 MiB)
 *   E  the file ends
 *   M  manifest: per table its rows and SHA-256, the files' count and bytes (last record)
 */
export type RecordType = 'H' | 'T' | 'R' | 'F' | 'D' | 'E' | 'M';
const TYPES = new Set<string>(['H', 'T', 'R', 'F', 'D', 'E', 'M']);
/** No record is larger: a rows record is cut before it, a file's data comes in 1 MiB pieces. */
export const MAX_RECORD = 16 * 1024 * 1024;

export function record(type: RecordType, payload: Buffer | unknown): Buffer {
  const body = Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload), 'utf8');
  if (body.length > MAX_RECORD) throw new Error(`backup record of ${body.length} bytes is over the limit`);
  const head = Buffer.alloc(5);
  head.write(type, 0, 'latin1');
  head.writeUInt32BE(body.length, 1);
  return Buffer.concat([head, body]);
}

export interface ArchiveRecord {
  type: RecordType;
  body: Buffer;
}

/** The records of a plaintext stream, in order; a record cut short is an error. */
export async function* readRecords(plain: AsyncIterable<Buffer>): AsyncGenerator<ArchiveRecord> {
  let buf: Buffer = Buffer.alloc(0);
  for await (const chunk of plain) {
    buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
    for (;;) {
      if (buf.length < 5) break;
      const type = String.fromCharCode(buf[0]);
      const len = buf.readUInt32BE(1);
      if (!TYPES.has(type) || len > MAX_RECORD) throw new ArchiveError('The archive content is damaged (an unknown record).');
      if (buf.length < 5 + len) break;
      yield { type: type as RecordType, body: buf.subarray(5, 5 + len) };
      buf = buf.subarray(5 + len);
    }
  }
  if (buf.length) throw new ArchiveError('The archive content ends in the middle of a record.');
}

export function json<T>(r: ArchiveRecord): T {
  try {
    return JSON.parse(r.body.toString('utf8')) as T;
  } catch {
    throw new ArchiveError(`The archive content is damaged (record ${r.type} is not readable).`);
  }
}
