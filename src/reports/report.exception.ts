import { AppException } from '../common/errors/app-exception';

export enum ReportErrorCode {
  VendorNotFound = 'report.vendor_not_found',
  AssessmentNotFound = 'report.assessment_not_found',
}

export class ReportException extends AppException<ReportErrorCode> {}
