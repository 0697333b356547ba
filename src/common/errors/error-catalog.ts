import { AssessmentErrorCode } from '../../assessments/assessment.exception';
import { AuthErrorCode } from '../../auth/auth.exception';
import { ContractErrorCode } from '../../contracts/contract.exception';
import { ReviewCycleErrorCode } from '../../review-cycles/review-cycle.exception';
import { PortalErrorCode } from '../../portal/portal.exception';
import { QuestionnaireErrorCode } from '../../questionnaires/questionnaire.exception';
import { ReportErrorCode } from '../../reports/report.exception';
import { ReviewErrorCode } from '../../reviews/review.exception';
import { StorageErrorCode } from '../../storage/storage.exception';
import { UserErrorCode } from '../../users/user.exception';
import { VendorErrorCode } from '../../vendors/vendor.exception';
import { CommonErrorCode } from './app-exception';

export interface ErrorEntry {
  status: number;
  title: string;
}

/** The one place where error codes meet HTTP: status and a stable, human title per code. */
export const ERROR_CATALOG: Record<string, ErrorEntry> = {
  [CommonErrorCode.Validation]: { status: 400, title: 'The request is not valid' },
  [CommonErrorCode.MalformedBody]: { status: 400, title: 'The request body is not well-formed' },
  [CommonErrorCode.NotFound]: { status: 404, title: 'Not found' },
  [CommonErrorCode.PayloadTooLarge]: { status: 413, title: 'The request body is too large' },
  [CommonErrorCode.UnsupportedMediaType]: { status: 415, title: 'Unsupported media type' },
  [CommonErrorCode.Conflict]: { status: 409, title: 'Conflict' },
  [CommonErrorCode.Internal]: { status: 500, title: 'Internal error' },
  [CommonErrorCode.Unavailable]: { status: 503, title: 'The service is unavailable for a moment' },
  [CommonErrorCode.InsufficientStorage]: { status: 507, title: 'There is no space left to store this' },

  [AuthErrorCode.Unauthenticated]: { status: 401, title: 'Sign-in required' },
  [AuthErrorCode.InvalidCredentials]: { status: 401, title: 'Sign-in failed' },
  [AuthErrorCode.Throttled]: { status: 429, title: 'Too many attempts' },
  [AuthErrorCode.Forbidden]: { status: 403, title: 'Not allowed' },
  [AuthErrorCode.CsrfFailed]: { status: 403, title: 'Missing or invalid CSRF token' },
  [AuthErrorCode.WrongCurrentPassword]: { status: 400, title: 'The current password is wrong' },
  [AuthErrorCode.PasswordReused]: { status: 400, title: 'The new password must differ from the current one' },

  [UserErrorCode.NotFound]: { status: 404, title: 'Not found' },
  [UserErrorCode.EmailTaken]: { status: 409, title: 'A user with this email already exists' },
  [UserErrorCode.LastAdmin]: { status: 409, title: 'The last active admin cannot be demoted or disabled' },
  [UserErrorCode.SelfChange]: { status: 409, title: 'Admins cannot disable or demote themselves' },

  [VendorErrorCode.NotFound]: { status: 404, title: 'Not found' },
  [VendorErrorCode.OwnerNotFound]: { status: 400, title: 'The business owner is not an active staff user' },
  [VendorErrorCode.Archived]: { status: 409, title: 'The vendor is archived' },
  [VendorErrorCode.NotArchived]: { status: 409, title: 'The vendor is not archived' },
  [VendorErrorCode.VersionConflict]: { status: 409, title: 'The vendor was changed by someone else' },
  [VendorErrorCode.NoOverride]: { status: 409, title: 'The vendor has no tier override' },

  [StorageErrorCode.Empty]: { status: 400, title: 'The file is empty' },
  [StorageErrorCode.TooLarge]: { status: 413, title: 'The file is larger than 25 MB' },
  [StorageErrorCode.UnsupportedType]: { status: 415, title: 'This kind of file is not accepted: PDF, PNG, JPEG, DOCX, XLSX, CSV or TXT' },
  [StorageErrorCode.NameMismatch]: { status: 400, title: 'The file name does not match its content' },
  [StorageErrorCode.BadName]: { status: 400, title: 'The file name is not acceptable' },
  [StorageErrorCode.NotFound]: { status: 404, title: 'Not found' },
  [StorageErrorCode.NoFile]: { status: 400, title: 'No file was sent' },

  [QuestionnaireErrorCode.NotFound]: { status: 404, title: 'Not found' },
  [QuestionnaireErrorCode.Invalid]: { status: 400, title: 'The questionnaire is not valid' },
  [QuestionnaireErrorCode.VersionExists]: { status: 409, title: 'This version is already published' },
  [QuestionnaireErrorCode.VersionNotNewer]: { status: 409, title: 'The version must be newer than the published ones' },
  [QuestionnaireErrorCode.SharedQuestionKeys]: { status: 400, title: 'These modules cannot be sent together' },
  [QuestionnaireErrorCode.ShippedKey]: { status: 409, title: 'Shipped modules change only through their files' },

  [AssessmentErrorCode.NotFound]: { status: 404, title: 'Not found' },
  [AssessmentErrorCode.InvalidTransition]: { status: 409, title: 'The assessment cannot make this move' },
  [AssessmentErrorCode.VendorArchived]: { status: 409, title: 'The vendor is archived' },
  [AssessmentErrorCode.VersionConflict]: { status: 409, title: 'The assessment was changed at the same time' },
  [AssessmentErrorCode.AnswerConflict]: { status: 409, title: 'The answer was changed since you opened it' },
  [AssessmentErrorCode.NotEditable]: { status: 409, title: 'The answers cannot be changed now' },
  [AssessmentErrorCode.UnknownQuestion]: { status: 404, title: 'Not found' },
  [AssessmentErrorCode.QuestionHidden]: { status: 409, title: 'The question does not apply given the other answers' },
  [AssessmentErrorCode.InvalidAnswer]: { status: 400, title: 'The answer is not valid' },
  [AssessmentErrorCode.MissingAnswers]: { status: 409, title: 'Required questions are unanswered' },
  [AssessmentErrorCode.UnconfirmedAnswers]: { status: 409, title: 'Answers carried over from the last assessment are not confirmed yet' },
  [AssessmentErrorCode.NotCarriedOver]: { status: 409, title: 'This answer was not carried over from an earlier assessment' },
  [AssessmentErrorCode.NoModules]: { status: 400, title: 'Choose the questionnaire modules' },
  [AssessmentErrorCode.EvidenceNotFound]: { status: 404, title: 'Not found' },
  [AssessmentErrorCode.DueDatePassed]: { status: 400, title: 'The due date has passed' },

  [PortalErrorCode.LinkInvalid]: { status: 404, title: 'This link does not work' },
  [PortalErrorCode.SessionRequired]: { status: 401, title: 'Open the questionnaire from its link' },
  [PortalErrorCode.Throttled]: { status: 429, title: 'Too many attempts' },
  [PortalErrorCode.CsrfFailed]: { status: 403, title: 'Missing or invalid CSRF token' },

  [ReportErrorCode.VendorNotFound]: { status: 404, title: 'Not found' },
  [ReportErrorCode.AssessmentNotFound]: { status: 404, title: 'Not found' },
  [ReviewErrorCode.FindingNotFound]: { status: 404, title: 'Not found' },
  [ReviewErrorCode.FindingVersionConflict]: { status: 409, title: 'The finding was changed by someone else' },
  [ReviewErrorCode.InvalidFindingMove]: { status: 409, title: 'The finding cannot make this move' },
  [ReviewErrorCode.InvalidRiskExpiry]: { status: 400, title: 'The acceptance must end after today and within three years' },
  [ReviewErrorCode.OwnerNotFound]: { status: 400, title: 'The owner is not an active staff user' },

  [ContractErrorCode.NotFound]: { status: 404, title: 'Not found' },
  [ContractErrorCode.VendorNotFound]: { status: 400, title: 'There is no such vendor' },
  [ContractErrorCode.VendorArchived]: { status: 409, title: 'The vendor is archived' },
  [ContractErrorCode.OwnerNotFound]: { status: 400, title: 'The owner is not an active staff user' },
  [ContractErrorCode.VersionConflict]: { status: 409, title: 'The contract was changed by someone else' },
  [ContractErrorCode.InvalidTerms]: { status: 400, title: "The contract's dates do not fit together" },
  [ContractErrorCode.InvalidChecklist]: { status: 400, title: 'The clause checklist is not valid' },
  [ContractErrorCode.Terminated]: { status: 409, title: 'The contract is terminated' },
  [ContractErrorCode.NoDocument]: { status: 404, title: 'The contract has no signed document' },

  [ReviewCycleErrorCode.NotFound]: { status: 404, title: 'Not found' },
  [ReviewCycleErrorCode.VersionConflict]: { status: 409, title: 'The review was changed by someone else' },
  [ReviewCycleErrorCode.InvalidMove]: { status: 409, title: 'The review cannot make this move' },
};

export function catalogEntry(code: string): ErrorEntry {
  return ERROR_CATALOG[code] ?? ERROR_CATALOG[CommonErrorCode.Internal];
}
