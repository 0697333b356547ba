import { AppException } from '../common/errors/app-exception';

export enum AssessmentErrorCode {
  NotFound = 'assessment.not_found',
  InvalidTransition = 'assessment.invalid_transition',
  VendorArchived = 'assessment.vendor_archived',
  VersionConflict = 'assessment.version_conflict',
  AnswerConflict = 'assessment.answer_conflict',
  NotEditable = 'assessment.not_editable',
  UnknownQuestion = 'assessment.unknown_question',
  QuestionHidden = 'assessment.question_hidden',
  InvalidAnswer = 'assessment.invalid_answer',
  MissingAnswers = 'assessment.missing_answers',
  UnconfirmedAnswers = 'assessment.unconfirmed_answers',
  NotCarriedOver = 'assessment.not_carried_over',
  NoModules = 'assessment.no_modules',
  EvidenceNotFound = 'assessment.evidence_not_found',
  DueDatePassed = 'assessment.due_date_passed',
}

export class AssessmentException extends AppException<AssessmentErrorCode> {}
