import { AppException } from '../common/errors/app-exception';

export enum PortalErrorCode {
  /** Unknown, expired, revoked or replaced: deliberately one code, so a guesser learns nothing. */
  LinkInvalid = 'portal.link_invalid',
  SessionRequired = 'portal.session_required',
  Throttled = 'portal.throttled',
  CsrfFailed = 'portal.csrf_failed',
}

export class PortalException extends AppException<PortalErrorCode> {}
