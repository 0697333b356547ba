import { Injectable } from '@nestjs/common';
import { EvidenceStore } from './evidence-store';
import { detectFileType, FileKind, FileTypeRefusal, sanitizeDisplayName } from './file-type';
import { StorageErrorCode, StorageException } from './storage.exception';
import type { ReceivedFile } from './upload-reader';

/** Largest accepted upload: 25 MB. */
export const MAX_EVIDENCE_BYTES = 25 * 1024 * 1024;

export interface AcceptedFile {
  key: string;
  sha256: string;
  size: number;
  kind: FileKind;
  mime: string;
  /** The display name (see `sanitizeDisplayName`); never used as a path. */
  name: string;
}

const ACCEPTED = 'PDF, PNG, JPEG, DOCX, XLSX, CSV or TXT';

/** A file to check and store: bytes in memory (made by the portal itself, e.g. the demo), or an upload received to disk. */
export type UploadInput = { filename: string; data: Buffer } | ReceivedFile;

/**
 * The one way in for uploaded evidence: checks size, content type and name, and only then
 * stores the bytes. A refusal throws `StorageException` and stores nothing.
 */
@Injectable()
export class EvidenceUploadService {
  constructor(private readonly store: EvidenceStore) {}

  async accept(fileName: string, data: Buffer): Promise<AcceptedFile> {
    if (!Buffer.isBuffer(data)) throw new TypeError('EvidenceUploadService.accept expects a Buffer');
    if (data.length > MAX_EVIDENCE_BYTES) {
      throw new StorageException(
        StorageErrorCode.TooLarge,
        `The file has ${data.length} bytes; the limit is 25 MB (${MAX_EVIDENCE_BYTES} bytes).`,
      );
    }
    const type = detectFileType(data, fileName);
    if (!type.ok) throw refusal(type.reason);
    const stored = await this.store.put(data);
    return { ...stored, kind: type.kind, mime: type.mime, name: sanitizeDisplayName(fileName) };
  }

  /** Either kind of input: an upload received to disk is moved into the store, never read into memory. */
  acceptInput(input: UploadInput): Promise<AcceptedFile> {
    return 'path' in input ? this.acceptReceived(input) : this.accept(input.filename, input.data);
  }

  /** The same checks for an upload received to a temporary file (`UploadReader.receive`). */
  async acceptReceived(file: ReceivedFile): Promise<AcceptedFile> {
    if (file.tooLarge) {
      throw new StorageException(StorageErrorCode.TooLarge, `The file has more than ${MAX_EVIDENCE_BYTES} bytes; the limit is 25 MB.`);
    }
    if (!file.type.ok) throw refusal(file.type.reason);
    const stored = await this.store.putFile(file.path, file.sha256, file.size);
    return { ...stored, kind: file.type.kind, mime: file.type.mime, name: sanitizeDisplayName(file.filename) };
  }
}

function refusal(reason: FileTypeRefusal): StorageException {
  switch (reason) {
    case 'bad_name':
      return new StorageException(
        StorageErrorCode.BadName,
        'The file name must have 1 to 255 characters, without slashes, backslashes or control characters, and must not start with "..".',
      );
    case 'empty':
      return new StorageException(StorageErrorCode.Empty, 'The file has no content.');
    case 'unknown_content':
      return new StorageException(StorageErrorCode.UnsupportedType, `The content is not one of the accepted kinds: ${ACCEPTED}.`);
    case 'name_mismatch':
      return new StorageException(
        StorageErrorCode.NameMismatch,
        'The extension of the file name does not match the content; rename the file (e.g. .pdf for a PDF) and upload it again.',
      );
  }
}
