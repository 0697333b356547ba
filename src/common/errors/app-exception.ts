/** One field that failed validation, as reported in a problem document. */
export interface FieldError {
  /** Dotted path of the field in the request, e.g. `contact.email` or `dataCategories.2`. */
  path: string;
  message: string;
  /** The rule that failed (class-validator's constraint name), when known. */
  rule?: string;
}

/**
 * Base of every feature's exception. A feature declares its own class with a code enum
 * (`VendorException`, `AuthException`, …); `error-catalog.ts` maps codes to HTTP in one place.
 */
export abstract class AppException<C extends string = string> extends Error {
  constructor(
    public readonly code: C,
    public readonly detail?: string,
    public readonly fieldErrors?: FieldError[],
    /** Extra members of the problem document, e.g. the current state a stale write lost against. */
    public readonly extensions?: Record<string, unknown>,
  ) {
    super(detail ?? code);
    this.name = new.target.name;
  }
}

export enum CommonErrorCode {
  Validation = 'common.validation',
  NotFound = 'common.not_found',
  MalformedBody = 'common.malformed_body',
  PayloadTooLarge = 'common.payload_too_large',
  UnsupportedMediaType = 'common.unsupported_media_type',
  Conflict = 'common.conflict',
  Internal = 'common.internal',
  /** The database (or another dependency) cannot be reached or is shutting down: try again later. */
  Unavailable = 'common.unavailable',
  /** No space left to store what was sent. */
  InsufficientStorage = 'common.insufficient_storage',
}

export class CommonException extends AppException<CommonErrorCode> {}
