import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { Transform, TransformCallback } from 'node:stream';
import { promisify } from 'node:util';

/**
 * The encryption of a backup archive: AES-256-GCM (Node's OpenSSL) over segments of 1 MiB, in
 * the manner of the STREAM construction. Each segment is sealed on its own, with a nonce made
 * of a random prefix, the segment's number and a flag on the last one, and the file's header
 * as additional data: a segment changed, moved, dropped or added, a truncated file or another
 * file's header all fail to open. Nothing is released to the reader before its segment is
 * authenticated, and memory stays at one segment whatever the archive's size.
 *
 * File layout:
 *   header  = MAGIC (8) | header length (4, big-endian) | header JSON (kdf, salt, nonce prefix)
 *   segment = sealed length (4) | ciphertext | tag (16), the last one with the final flag set
 *
 * The key comes from a passphrase through scrypt (memory-hard: 128 MiB by default, parameters
 * kept in the header) or from a key file of 32 random bytes.
 */
export const MAGIC = Buffer.from('VDPBAK1\n', 'latin1');
export const SEGMENT_SIZE = 1024 * 1024;
const TAG = 16;
const NONCE_PREFIX = 7;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/** scrypt with N = 2^17, r = 8: 128 MiB of memory per guess. */
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 17, r: 8, p: 1 };

export interface ArchiveHeader {
  format: 'vdp-backup';
  version: 1;
  kdf: { name: 'scrypt'; salt: string; N: number; r: number; p: number } | { name: 'keyfile' };
  noncePrefix: string;
}

export type KeySource = { passphrase: string; scrypt?: ScryptParams } | { keyFile: Buffer };

export class ArchiveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArchiveError';
  }
}

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

async function deriveKey(source: KeySource, kdf: ArchiveHeader['kdf']): Promise<Buffer> {
  if (kdf.name === 'keyfile') {
    if (!('keyFile' in source)) throw new ArchiveError('This archive was encrypted with a key file: set BACKUP_KEY_FILE.');
    return keyFromFile(source.keyFile);
  }
  if (!('passphrase' in source)) throw new ArchiveError('This archive was encrypted with a passphrase: set BACKUP_PASSPHRASE.');
  const { N, r, p } = kdf;
  if (!Number.isInteger(Math.log2(N)) || N < 2 ** 14 || N > 2 ** 22 || r < 1 || r > 32 || p < 1 || p > 16) throw new ArchiveError('The archive header names key-derivation parameters out of range.');
  return scrypt(source.passphrase, Buffer.from(kdf.salt, 'base64'), 32, { N, r, p, maxmem: 256 * N * r + 64 * 1024 * 1024 });
}

/** A key file holds 32 random bytes, raw or as 64 hex characters (e.g. `openssl rand -hex 32`). */
export function keyFromFile(content: Buffer): Buffer {
  const text = content.toString('latin1').trim();
  if (/^[0-9a-fA-F]{64}$/.test(text)) return Buffer.from(text, 'hex');
  if (content.length === 32) return content;
  throw new ArchiveError('The key file must hold 32 random bytes, raw or as 64 hexadecimal characters.');
}

function nonce(prefix: Buffer, counter: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  prefix.copy(n, 0);
  n.writeUInt32BE(counter, NONCE_PREFIX);
  n[11] = last ? 1 : 0;
  return n;
}

function headerBytes(header: ArchiveHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(json.length);
  return Buffer.concat([MAGIC, len, json]);
}

/** Plaintext in, archive out. */
export async function encryptingStream(source: KeySource): Promise<Transform> {
  const noncePrefix = randomBytes(NONCE_PREFIX);
  const kdf: ArchiveHeader['kdf'] =
    'keyFile' in source ? { name: 'keyfile' } : { name: 'scrypt', salt: randomBytes(16).toString('base64'), ...(source.scrypt ?? DEFAULT_SCRYPT) };
  const header: ArchiveHeader = { format: 'vdp-backup', version: 1, kdf, noncePrefix: noncePrefix.toString('base64') };
  const aad = headerBytes(header);
  const key = await deriveKey(source, kdf);
  let pending: Buffer[] = [];
  let pendingLength = 0;
  let counter = 0;
  let wroteHeader = false;

  const seal = (plain: Buffer, last: boolean): Buffer => {
    if (counter >= 2 ** 32 - 1) throw new ArchiveError('The archive is too large for one key.');
    const cipher = createCipheriv('aes-256-gcm', key, nonce(noncePrefix, counter++, last));
    cipher.setAAD(aad);
    const body = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(body.length);
    return Buffer.concat([len, body]);
  };

  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      try {
        if (!wroteHeader) {
          this.push(aad);
          wroteHeader = true;
        }
        pending.push(chunk);
        pendingLength += chunk.length;
        // A full segment goes out only once more follows: the last one must carry the final flag.
        while (pendingLength > SEGMENT_SIZE) {
          const all = Buffer.concat(pending);
          this.push(seal(all.subarray(0, SEGMENT_SIZE), false));
          pending = [all.subarray(SEGMENT_SIZE)];
          pendingLength = pending[0].length;
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        if (!wroteHeader) this.push(aad);
        this.push(seal(Buffer.concat(pending), true));
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

/** Archive in, plaintext out: each segment released only once authenticated; a missing end is an error. */
export function decryptingStream(source: KeySource): Transform {
  let buf: Buffer = Buffer.alloc(0);
  let key: Buffer | null = null;
  let aad: Buffer | null = null;
  let prefix: Buffer | null = null;
  let counter = 0;
  let ended = false;

  const open = (body: Buffer, last: boolean): Buffer => {
    const decipher = createDecipheriv('aes-256-gcm', key!, nonce(prefix!, counter, last));
    decipher.setAAD(aad!);
    decipher.setAuthTag(body.subarray(body.length - TAG));
    const plain = decipher.update(body.subarray(0, body.length - TAG));
    decipher.final();
    return plain;
  };

  return new Transform({
    transform(chunk: Buffer, _enc, done: TransformCallback) {
      buf = buf.length ? Buffer.concat([buf, chunk]) : chunk;
      const step = async () => {
        if (!key) {
          if (buf.length < MAGIC.length + 4) return;
          if (!timingSafeEqual(buf.subarray(0, MAGIC.length), MAGIC)) throw new ArchiveError('This is not a backup archive of the portal.');
          const len = buf.readUInt32BE(MAGIC.length);
          if (len > 64 * 1024) throw new ArchiveError('The archive header is damaged.');
          if (buf.length < MAGIC.length + 4 + len) return;
          aad = Buffer.from(buf.subarray(0, MAGIC.length + 4 + len));
          let header: ArchiveHeader;
          try {
            header = JSON.parse(aad.subarray(MAGIC.length + 4).toString('utf8')) as ArchiveHeader;
          } catch {
            throw new ArchiveError('The archive header is damaged.');
          }
          if (header.format !== 'vdp-backup' || header.version !== 1) throw new ArchiveError('This archive was written by a newer version of the portal, or is damaged.');
          prefix = Buffer.from(header.noncePrefix, 'base64');
          if (prefix.length !== NONCE_PREFIX) throw new ArchiveError('The archive header is damaged.');
          key = await deriveKey(source, header.kdf);
          buf = buf.subarray(aad.length);
        }
        for (;;) {
          if (ended) {
            if (buf.length) throw new ArchiveError('The archive has data after its end: it is damaged.');
            return;
          }
          if (buf.length < 4) return;
          const len = buf.readUInt32BE(0);
          if (len < TAG || len > SEGMENT_SIZE + TAG) throw new ArchiveError('The archive is damaged (a segment has an impossible length).');
          if (buf.length < 4 + len) return;
          const body = buf.subarray(4, 4 + len);
          let plain: Buffer;
          try {
            plain = open(body, false);
          } catch {
            try {
              plain = open(body, true);
              ended = true;
            } catch {
              throw new ArchiveError(
                counter === 0
                  ? 'The archive cannot be opened: wrong passphrase or key file, or the archive is damaged.'
                  : `The archive is damaged: segment ${counter + 1} does not authenticate.`,
              );
            }
          }
          counter++;
          buf = buf.subarray(4 + len);
          this.push(plain);
        }
      };
      step().then(() => done(), (err: Error) => done(err));
    },
    flush(done: TransformCallback) {
      if (!key) return done(new ArchiveError('The archive is empty or truncated before its header ends.'));
      if (!ended) return done(new ArchiveError('The archive is truncated: its last segment is missing.'));
      done();
    },
  });
}
