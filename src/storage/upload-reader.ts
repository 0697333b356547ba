import { Injectable, SetMetadata } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, readFile, unlink } from 'node:fs/promises';
import * as path from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CSRF_FIELD, CSRF_HEADER, safeEqual } from '../auth/session-token';
import { AppConfig } from '../config/app-config';
import { FileTypeResult, FileTypeSniffer } from './file-type';
import { MAX_EVIDENCE_BYTES } from './storage.service';
import { StorageErrorCode, StorageException } from './storage.exception';

/**
 * Routes that take a multipart upload are marked with `@UploadRoute()`. On them alone the
 * session guards leave the CSRF check of a cookie session to `readUpload` (the token is a form
 * field, read before the file); every other route checks it before anything runs, as always.
 */
export const UPLOAD_ROUTE_KEY = 'vdp:upload-route';
export const UploadRoute = () => SetMetadata(UPLOAD_ROUTE_KEY, true);

/** The CSRF check a guard left to `readUpload`: the token expected, and the refusal to throw. */
export interface DeferredCsrf {
  token: string;
  refuse: () => Error;
}

declare module 'fastify' {
  interface FastifyRequest {
    deferredCsrf?: DeferredCsrf;
  }
}

/**
 * For a session guard: on an `@UploadRoute()` with a multipart body and no CSRF header, the
 * check is left to `UploadReader.receive`, which reads the `_csrf` field before it reads the file.
 * Returns whether it was left; the guard checks it itself otherwise.
 */
export function deferCsrfToUpload(req: FastifyRequest, uploadRoute: boolean | undefined, token: string, refuse: () => Error): boolean {
  if (!uploadRoute || typeof req.headers[CSRF_HEADER] === 'string' || !req.isMultipart?.()) return false;
  req.deferredCsrf = { token, refuse };
  return true;
}

/** A file received to a temporary file: checked while it streamed in, never held in memory. */
export interface ReceivedFile {
  /** The name as sent (checked by `FileTypeSniffer`'s rules, never used as a path). */
  filename: string;
  path: string;
  size: number;
  sha256: string;
  type: FileTypeResult;
  /** More than the 25 MB the portal takes: the rest was not read. */
  tooLarge: boolean;
}

export interface ReceivedUpload {
  fields: Record<string, string>;
  file: ReceivedFile | null;
}

/** One file of at most 25 MB (+1 byte, so that the check can say the file is too large), a few short fields. */
export const UPLOAD_LIMITS = { fileSize: MAX_EVIDENCE_BYTES + 1, files: 1, fields: 20, fieldSize: 100_000, parts: 25 };

/** Where uploads stream to before they are checked: DATA_DIR/tmp (same disk as the store, so a rename moves them). */
export function uploadTempDir(dataDir: string): string {
  return path.join(dataDir, 'tmp');
}

/**
 * Reads a multipart upload after the route's guards have let it through (session checked, and
 * for a cookie session the CSRF field before the file): the fields, and at most one file part
 * (field `file`), streamed to a temporary file under the 25 MB cap while its size, SHA-256 and
 * kind are taken. `fn` gets it; the temporary file is removed afterwards unless `fn` moved it.
 */
@Injectable()
export class UploadReader {
  private readonly tempDir: string;

  constructor(config: AppConfig) {
    this.tempDir = uploadTempDir(config.dataDir);
  }

  async receive<T>(req: FastifyRequest, fn: (upload: ReceivedUpload) => Promise<T>): Promise<T> {
    const upload = await readUpload(req, this.tempDir);
    try {
      return await fn(upload);
    } finally {
      if (upload.file) await unlink(upload.file.path).catch(() => undefined);
    }
  }
}

/**
 * The bytes of a received file, for the one upload that is parsed whole (a questionnaire table:
 * staff with the right to publish, after authentication, at most 25 MB). Evidence never is.
 */
export async function readWhole(file: ReceivedFile): Promise<{ filename: string; data: Buffer }> {
  if (file.tooLarge) throw new StorageException(StorageErrorCode.TooLarge, `The file has more than ${MAX_EVIDENCE_BYTES} bytes; the limit is 25 MB.`);
  return { filename: file.filename, data: await readFile(file.path) };
}

/** The file of an upload, or 400 `storage.no_file` (none sent, or an empty file input: no name, no bytes). */
export function requireFile(file: ReceivedFile | null): ReceivedFile {
  if (!file || (file.filename === '' && file.size === 0)) {
    throw new StorageException(StorageErrorCode.NoFile, 'Send the file as multipart/form-data in a field named "file".');
  }
  return file;
}

async function readUpload(req: FastifyRequest, tempDir: string): Promise<ReceivedUpload> {
  if (!req.isMultipart()) {
    throw new StorageException(StorageErrorCode.NoFile, 'Send the file as multipart/form-data in a field named "file".');
  }
  const csrf = req.deferredCsrf;
  let csrfOk = !csrf;
  const checkCsrf = () => {
    if (csrfOk) return;
    const presented = fields[CSRF_FIELD];
    if (!presented || !safeEqual(presented, csrf!.token)) throw csrf!.refuse();
    csrfOk = true;
  };
  const fields: Record<string, string> = {};
  let file: ReceivedFile | null = null;
  try {
    for await (const part of req.parts()) {
      if (part.type === 'field') {
        if (typeof part.value === 'string' && !(part.fieldname in fields)) fields[part.fieldname] = part.value;
        continue;
      }
      // The file of a cookie session is read only once its form has shown the session's CSRF token.
      checkCsrf();
      if (part.fieldname !== 'file' || file) {
        part.file.resume();
        continue;
      }
      file = await receive(part.file, part.filename, tempDir);
    }
    checkCsrf();
  } catch (err) {
    if (file) await unlink(file.path).catch(() => undefined);
    throw err;
  }
  delete fields[CSRF_FIELD];
  return { fields, file };
}

async function receive(stream: NodeJS.ReadableStream & { truncated?: boolean }, filename: string, tempDir: string): Promise<ReceivedFile> {
  await mkdir(tempDir, { recursive: true, mode: 0o700 });
  await chmod(tempDir, 0o700);
  const file = path.join(tempDir, `upload-${randomBytes(12).toString('hex')}`);
  const hash = createHash('sha256');
  const sniffer = new FileTypeSniffer();
  let size = 0;
  const inspect = new Transform({
    transform(chunk: Buffer, _enc, done) {
      size += chunk.length;
      hash.update(chunk);
      sniffer.push(chunk);
      done(null, chunk);
    },
  });
  try {
    await pipeline(stream, inspect, createWriteStream(file, { flags: 'wx', mode: 0o600 }));
  } catch (err) {
    await unlink(file).catch(() => undefined);
    throw err;
  }
  const tooLarge = Boolean(stream.truncated) || size > MAX_EVIDENCE_BYTES;
  return { filename: filename ?? '', path: file, size, sha256: hash.digest('hex'), type: sniffer.result(filename ?? ''), tooLarge };
}
