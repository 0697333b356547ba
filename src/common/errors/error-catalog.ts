import { AuthErrorCode } from '../../auth/auth.exception';
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
};

export function catalogEntry(code: string): ErrorEntry {
  return ERROR_CATALOG[code] ?? ERROR_CATALOG[CommonErrorCode.Internal];
}
