import { AppException } from '../common/errors/app-exception';

export enum ReviewCycleErrorCode {
  NotFound = 'review_cycle.not_found',
  VersionConflict = 'review_cycle.version_conflict',
  InvalidMove = 'review_cycle.invalid_move',
}

export class ReviewCycleException extends AppException<ReviewCycleErrorCode> {}
