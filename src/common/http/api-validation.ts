import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { ValidateIf } from 'class-validator';
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
