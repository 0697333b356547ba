import { AppException } from '../common/errors/app-exception';

export enum VendorErrorCode {
  NotFound = 'vendor.not_found',
  OwnerNotFound = 'vendor.owner_not_found',
  Archived = 'vendor.archived',
  NotArchived = 'vendor.not_archived',
  VersionConflict = 'vendor.version_conflict',
  NoOverride = 'vendor.no_override',
}

export class VendorException extends AppException<VendorErrorCode> {}
