import { AppException } from '../common/errors/app-exception';

export enum UserErrorCode {
  NotFound = 'user.not_found',
  EmailTaken = 'user.email_taken',
  LastAdmin = 'user.last_admin',
  SelfChange = 'user.self_change',
}

export class UserException extends AppException<UserErrorCode> {}
