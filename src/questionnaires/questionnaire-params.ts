import { Injectable, PipeTransform } from '@nestjs/common';
import { QuestionnaireErrorCode, QuestionnaireException } from './questionnaire.exception';

const MODULE_KEY = /^[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$/;
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?$/;

/** A module key in a path; a malformed one is as unknown as a missing one (404). */
@Injectable()
export class ModuleKeyPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || value.length > 64 || !MODULE_KEY.test(value)) throw new QuestionnaireException(QuestionnaireErrorCode.NotFound);
    return value;
  }
}

@Injectable()
export class VersionPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || value.length > 32 || !VERSION.test(value)) throw new QuestionnaireException(QuestionnaireErrorCode.NotFound);
    return value;
  }
}
