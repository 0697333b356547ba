import type { ErrorObject, ValidateFunction } from 'ajv';
import { parseDocument } from 'yaml';

/**
 * Shared by the loaders of data shipped as YAML (questionnaire modules, the clause library):
 * YAML parse errors with their line, and JSON Schema errors as `path: message` lines that name
 * the place in the file the way a reader would (`sections[0].questions[2].options`).
 */
export interface DataProblem {
  path: string;
  message: string;
}

export function schemaPath(instancePath: string): string {
  return (
    instancePath
      .split('/')
      .filter(Boolean)
      .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), '') || '(root)'
  );
}

function schemaMessage(e: ErrorObject): string {
  if (e.keyword === 'additionalProperties') return `unknown property '${(e.params as { additionalProperty: string }).additionalProperty}'`;
  if (e.keyword === 'enum') return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  return e.message ?? e.keyword;
}

/** The problems a compiled JSON Schema finds in `data`; none when it is valid. */
export function schemaProblemsOf(validate: ValidateFunction, data: unknown): DataProblem[] {
  if (validate(data)) return [];
  return (validate.errors ?? []).map((e) => ({ path: schemaPath(e.instancePath), message: schemaMessage(e) }));
}

/** Parses YAML text (duplicate keys refused); returns the value, or one `file: line N: problem` line per error. */
export function parseYamlFile(file: string, source: string): { value?: unknown; problems: string[] } {
  const doc = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length) return { problems: doc.errors.map((e) => `${file}: line ${e.linePos?.[0]?.line ?? '?'}: ${e.message.split('\n')[0]}`) };
  return { value: doc.toJS(), problems: [] };
}
