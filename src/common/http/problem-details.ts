import { HttpException, Logger, ValidationError } from '@nestjs/common';
import { AppException, CommonErrorCode, CommonException, FieldError } from '../errors/app-exception';
import { catalogEntry } from '../errors/error-catalog';
import { classifyInfrastructureError } from '../../database/database-errors';

/** An RFC 9457 problem document. `errors` lists field paths for validation problems. */
export interface ProblemDocument {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance?: string;
  code: string;
  errors?: Array<FieldError & { pointer: string }>;
  requestId?: string;
  [extension: string]: unknown;
}

const PROBLEM_BASE = 'https://vendor-portal.invalid/problems/';

const STATUS_CODES: Record<number, string> = {
  400: CommonErrorCode.Validation,
  404: CommonErrorCode.NotFound,
  409: CommonErrorCode.Conflict,
  413: CommonErrorCode.PayloadTooLarge,
  415: CommonErrorCode.UnsupportedMediaType,
};

const logger = new Logger('Errors');

/**
 * Turns anything thrown into a problem document that is safe to show: known codes keep
 * their detail; everything else keeps only its status and a generic title. Stack traces,
 * SQL and internal messages never leave the server (they are logged instead).
 */
export function toProblem(err: unknown, instance: string, requestId?: string): ProblemDocument {
  const build = (code: string, status: number, title: string, detail?: string, errors?: FieldError[]): ProblemDocument => ({
    type: status >= 500 ? 'about:blank' : PROBLEM_BASE + code.replace(/\./g, '/'),
    title,
    status,
    ...(detail ? { detail } : {}),
    instance,
    code,
    ...(errors && errors.length ? { errors: errors.map((e) => ({ ...e, pointer: toPointer(e.path) })) } : {}),
    ...(requestId ? { requestId } : {}),
  });

  if (err instanceof AppException) {
    const entry = catalogEntry(err.code);
    const doc = build(err.code, entry.status, entry.title, err.detail, err.fieldErrors);
    // Extension members never replace the standard ones.
    return err.extensions ? { ...err.extensions, ...doc } : doc;
  }

  const status = httpStatusOf(err);
  if (status === 503) return build(CommonErrorCode.Unavailable, 503, catalogEntry(CommonErrorCode.Unavailable).title, UNAVAILABLE_DETAIL);
  if (status !== undefined && status < 500) {
    // Nest hands Fastify's own errors (body parsing) to the filters as HttpException(message, status).
    if (status === 400 && err instanceof HttpException && typeof err.getResponse() === 'string') {
      return build(CommonErrorCode.MalformedBody, 400, catalogEntry(CommonErrorCode.MalformedBody).title, 'The body could not be parsed; send well-formed JSON.');
    }
    const code = STATUS_CODES[status] ?? `http.${status}`;
    const entry = STATUS_CODES[status] ? catalogEntry(code) : { title: genericTitle(status) };
    return build(code, status, entry.title);
  }

  // The database or the disk failing is not a fault of the request: its true status, and a
  // warning in the log rather than a stack trace.
  const failure = classifyInfrastructureError(err);
  if (failure) {
    logger.warn(`${failure === 'full' ? 'Out of space' : 'Database unavailable'}: ${describeFailure(err)}`);
    return failure === 'full'
      ? build(CommonErrorCode.InsufficientStorage, 507, catalogEntry(CommonErrorCode.InsufficientStorage).title, 'Nothing was stored. Try again once space has been freed.')
      : build(CommonErrorCode.Unavailable, 503, catalogEntry(CommonErrorCode.Unavailable).title, UNAVAILABLE_DETAIL);
  }
  logger.error(err instanceof Error ? `${err.name}: ${err.message}\n${err.stack ?? ''}` : String(err));
  return build(CommonErrorCode.Internal, 500, catalogEntry(CommonErrorCode.Internal).title, 'Something went wrong on our side. The request id identifies it in the logs.');
}

const UNAVAILABLE_DETAIL = 'Nothing was changed. Try again in a few seconds.';

/** Seconds a client should wait before trying a 503 again. */
export const RETRY_AFTER_SECONDS = 5;

/** Headers a problem carries besides its body: Retry-After on 503. */
export function problemHeaders(problem: Pick<ProblemDocument, 'status'>): Record<string, string> {
  return problem.status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {};
}

function describeFailure(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err, i = 0; e && i < 4; i++) {
    const x = e as { name?: string; message?: string; code?: string; driverError?: unknown; cause?: unknown };
    parts.push(`${x.code ?? x.name ?? 'Error'}: ${String(x.message ?? e).split('\n')[0]}`);
    e = x.driverError ?? x.cause;
  }
  return parts.join(' <- ');
}

function httpStatusOf(err: unknown): number | undefined {
  if (err instanceof HttpException) return err.getStatus();
  const s = (err as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' && s >= 400 && s < 600 ? s : undefined;
}

function genericTitle(status: number): string {
  const titles: Record<number, string> = {
    401: 'Sign-in required',
    403: 'Not allowed',
    405: 'Method not allowed',
    406: 'Not acceptable',
    429: 'Too many requests',
  };
  return titles[status] ?? 'The request cannot be processed';
}

function toPointer(path: string): string {
  return '/' + path.split('.').map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
}

/** Flattens class-validator's tree into one entry per failing leaf, with dotted paths. */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldError[] {
  const out: FieldError[] = [];
  for (const e of errors) {
    const path = prefix ? `${prefix}.${e.property}` : e.property;
    for (const [rule, message] of Object.entries(e.constraints ?? {})) out.push({ path, message: cleanMessage(message, e.property), rule });
    if (e.children?.length) out.push(...flattenValidationErrors(e.children, path));
  }
  return out;
}

function cleanMessage(message: string, property: string): string {
  if (message === `property ${property} should not exist`) return 'is not a known field';
  return message;
}

export function validationException(errors: ValidationError[]): CommonException {
  const fieldErrors = flattenValidationErrors(errors);
  return new CommonException(
    CommonErrorCode.Validation,
    `${fieldErrors.length} field${fieldErrors.length === 1 ? '' : 's'} failed validation.`,
    fieldErrors,
  );
}
