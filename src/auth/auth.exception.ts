import { AppException } from '../common/errors/app-exception';

export enum AuthErrorCode {
  Unauthenticated = 'auth.unauthenticated',
  InvalidCredentials = 'auth.invalid_credentials',
  Throttled = 'auth.throttled',
  Forbidden = 'auth.forbidden',
  CsrfFailed = 'auth.csrf_failed',
  WrongCurrentPassword = 'auth.wrong_current_password',
  PasswordReused = 'auth.password_reused',
}

export class AuthException extends AppException<AuthErrorCode> {}
