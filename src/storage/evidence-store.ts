import { createHash, randomBytes } from 'node:crypto';
import { constants as fsConstants } from 'node:fs';
import { chmod, copyFile, link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { StorageErrorCode, StorageException } from './storage.exception';

export interface StoredObject {
  /** 32 lowercase hex characters: 128 random bits, the only handle on the stored bytes. */
  key: string;
  /** Lowercase hex SHA-256 of the bytes. */
  sha256: string;
  size: number;
}

const KEY = /^[0-9a-f]{32}$/;

export function isEvidenceKey(key: unknown): key is string {
  return typeof key === 'string' && KEY.test(key);
}

/**
 * The small storage interface for uploaded files: opaque bytes under a random key.
 * It knows nothing of names or types; `EvidenceUploadService` checks those first.
 */
export abstract class EvidenceStore {
  abstract put(data: Buffer): Promise<StoredObject>;
  /**
   * Takes over a file already on disk (an upload received to a temporary file, whose SHA-256 and
   * size were taken as it streamed in): it is moved, not read into memory.
   */
  abstract putFile(file: string, sha256: string, size: number): Promise<StoredObject>;
  /** The bytes under `key`; `StorageException(storage.not_found)` for a malformed or unknown key. */
  abstract read(key: string): Promise<Buffer>;
  /** Deletes the bytes under `key`; an unknown key is not an error. Rejects a malformed key. */
  abstract remove(key: string): Promise<void>;
}

/**
 * Files under `root` (`DATA_DIR/files/`, outside any served folder) as `root/ab/abcdef…`:
 * the key is the file name, its first two characters the sub-folder. Files are created with
 * `wx` (never overwritten) and mode 0600; folders with mode 0700.
 */
export class DiskEvidenceStore extends EvidenceStore {
  constructor(readonly root: string) {
    super();
  }

  async put(data: Buffer): Promise<StoredObject> {
    if (!Buffer.isBuffer(data)) throw new TypeError('EvidenceStore.put expects a Buffer');
    const key = randomBytes(16).toString('hex');
    const sha256 = createHash('sha256').update(data).digest('hex');
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      await writeFile(file, data, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      // A half-written file must not linger; with EEXIST the file is not ours to remove.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') await unlink(file).catch(() => undefined);
      throw err;
    }
    return { key, sha256, size: data.length };
  }

  async putFile(source: string, sha256: string, size: number): Promise<StoredObject> {
    const key = randomBytes(16).toString('hex');
    const file = this.pathOf(key);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    try {
      // A hard link never replaces an existing file (EEXIST); the temporary name then goes.
      await link(source, file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      // Another file system: a copy, still never over an existing file.
      try {
        await copyFile(source, file, fsConstants.COPYFILE_EXCL);
      } catch (copyErr) {
        if ((copyErr as NodeJS.ErrnoException).code !== 'EEXIST') await unlink(file).catch(() => undefined);
        throw copyErr;
      }
    }
    await chmod(file, 0o600);
    await unlink(source).catch(() => undefined);
    return { key, sha256, size };
  }

  async read(key: string): Promise<Buffer> {
    const file = this.checkedPath(key);
    try {
      return await readFile(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw notFound();
      throw err;
    }
  }

  async remove(key: string): Promise<void> {
    const file = this.checkedPath(key);
    try {
      await unlink(file);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }

  private checkedPath(key: string): string {
    if (!isEvidenceKey(key)) throw new StorageException(StorageErrorCode.NotFound, 'The storage key is not well-formed.');
    return this.pathOf(key);
  }

  private pathOf(key: string): string {
    return path.join(this.root, key.slice(0, 2), key);
  }
}

function notFound(): StorageException {
  return new StorageException(StorageErrorCode.NotFound, 'No stored file has this key.');
}
