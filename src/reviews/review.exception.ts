import { AppException } from '../common/errors/app-exception';

export enum ReviewErrorCode {
  FindingNotFound = 'review.finding_not_found',
  FindingVersionConflict = 'review.finding_version_conflict',
  InvalidFindingMove = 'review.invalid_finding_move',
  OwnerNotFound = 'review.owner_not_found',
  InvalidRiskExpiry = 'review.invalid_risk_expiry',
}

export class ReviewException extends AppException<ReviewErrorCode> {}
