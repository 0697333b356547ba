import { AppException } from '../common/errors/app-exception';

export enum QuestionnaireErrorCode {
  NotFound = 'questionnaire.not_found',
  Invalid = 'questionnaire.invalid',
  VersionExists = 'questionnaire.version_exists',
  VersionNotNewer = 'questionnaire.version_not_newer',
  SharedQuestionKeys = 'questionnaire.shared_question_keys',
  ShippedKey = 'questionnaire.shipped_key',
}

export class QuestionnaireException extends AppException<QuestionnaireErrorCode> {}
