import { AppException } from '../common/errors/app-exception';

export enum ContractErrorCode {
  NotFound = 'contract.not_found',
  VendorNotFound = 'contract.vendor_not_found',
  VendorArchived = 'contract.vendor_archived',
  OwnerNotFound = 'contract.owner_not_found',
  VersionConflict = 'contract.version_conflict',
  InvalidTerms = 'contract.invalid_terms',
  InvalidChecklist = 'contract.invalid_checklist',
  Terminated = 'contract.terminated',
  NoDocument = 'contract.no_document',
}

export class ContractException extends AppException<ContractErrorCode> {}
