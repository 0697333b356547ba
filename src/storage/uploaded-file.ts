import type { FastifyRequest } from 'fastify';
import { StorageErrorCode, StorageException } from './storage.exception';

/** A file part as `configureApp` has @fastify/multipart attach it to the body: its name as sent, and its bytes. */
export interface UploadedFilePart {
  filename: string;
  data: Buffer;
}

/** The one file of a multipart upload (field `file`), as @fastify/multipart attached it. */
export function uploadedFile(req: FastifyRequest): UploadedFilePart {
  const body = req.body as Record<string, unknown> | undefined;
  const part = body && typeof body === 'object' ? body.file : undefined;
  if (!part || typeof part !== 'object' || !Buffer.isBuffer((part as UploadedFilePart).data)) {
    throw new StorageException(StorageErrorCode.NoFile, 'Send the file as multipart/form-data in a field named "file".');
  }
  return part as UploadedFilePart;
}
