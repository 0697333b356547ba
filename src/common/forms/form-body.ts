import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { CommonErrorCode, CommonException, type FieldError } from '../errors/app-exception';
import { flattenValidationErrors } from '../http/problem-details';
import { catalogueKeys } from '../../i18n/i18n';

export type FormBody = Record<string, string | string[] | undefined>;

/** One value of a urlencoded field ('' when absent; the first when repeated). */
export function field(body: FormBody, name: string): string {
  const v = body[name];
  return Array.isArray(v) ? (v[0] ?? '') : (v ?? '');
}

/** A repeated field (checkbox group) as a list. */
export function fieldList(body: FormBody, name: string): string[] {
  const v = body[name];
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

export function optionalField(body: FormBody, name: string): string | undefined {
  const v = field(body, name).trim();
  return v === '' ? undefined : v;
}

/**
 * Validates a plain object against a DTO class with the same rules as the API's
 * ValidationPipe, so pages and JSON reject the same input with the same field paths.
 */
export async function validateForm<T extends object>(cls: new () => T, plain: object): Promise<{ dto: T; errors: FieldError[] }> {
  const dto = plainToInstance(cls, plain);
  const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true, forbidUnknownValues: true });
  return { dto, errors: flattenValidationErrors(errors) };
}

const TRANSLATED_RULES = new Set(catalogueKeys('en').filter((k) => k.startsWith('validation.')).map((k) => k.slice('validation.'.length)));

/**
 * Field errors keyed by path, for templates: a catalogue key (`validation.isEmail`) where
 * the rule has a translated message, else the validator's own English message.
 */
export function errorMap(errors: FieldError[] | undefined): Record<string, string> {
  const map: Record<string, string> = {};
  for (const e of errors ?? []) map[e.path] ??= e.rule && TRANSLATED_RULES.has(e.rule) ? `validation.${e.rule}` : e.message;
  return map;
}

/** A 400 problem for query parameters of a page that failed validation. */
export function validationProblem(errors: FieldError[]): CommonException {
  return new CommonException(CommonErrorCode.Validation, errors.map((e) => `${e.path}: ${e.message}`).join('; '), errors);
}
