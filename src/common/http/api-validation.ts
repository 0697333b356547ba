import { applyDecorators, ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { IsISO8601, Matches, ValidateIf } from 'class-validator';
import { CommonErrorCode, CommonException } from '../errors/app-exception';

/**
 * The global ValidationPipe, plus the one rule it lacks: a body bound to a DTO must be a JSON
 * object. Left alone, ValidationPipe validates an array as if it were the DTO and turns `null`
 * into `{}`, so `PATCH` with a body of `null` passed as "change nothing". No body at all stays
 * allowed (routes whose fields are all optional, such as archive).
 */
export class ApiValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' && value !== undefined && this.toValidate(metadata) && !isPlainObject(value)) {
      throw new CommonException(CommonErrorCode.Validation, 'The body must be a JSON object.');
    }
    return super.transform(value, metadata);
  }
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Like `@IsOptional()`, but only an absent field is skipped: `null` is validated like any other
 * value, and so refused. For optional fields whose column cannot hold null (a PATCH with
 * `"name": null` must be a 400, not a NOT NULL violation answered with 500).
 */
export function IsOptionalNotNull(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

/** A calendar date written `YYYY-MM-DD` (2026-02-30 is refused). */
export function IsIsoDate(): PropertyDecorator {
  return applyDecorators(IsISO8601({ strict: true, strictSeparator: true }, { message: '$property must be a date (YYYY-MM-DD)' }), Matches(/^\d{4}-\d{2}-\d{2}$/, { message: '$property must be a date (YYYY-MM-DD)' }));
}
