import { AppException } from '../common/errors/app-exception';

export enum StorageErrorCode {
  Empty = 'storage.empty',
  TooLarge = 'storage.too_large',
  UnsupportedType = 'storage.unsupported_type',
  NameMismatch = 'storage.name_mismatch',
  BadName = 'storage.bad_name',
  NotFound = 'storage.not_found',
  NoFile = 'storage.no_file',
}

export class StorageException extends AppException<StorageErrorCode> {}
