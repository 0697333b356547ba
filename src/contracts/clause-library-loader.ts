import Ajv from 'ajv';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseYamlFile, schemaProblemsOf } from '../common/yaml-data';
import { buildLibrary, ClauseLibrary, ClauseParam, ClauseSet } from './clause-library';
import schema from './clause-library.schema.json';

export const CONTRACTS_DIR = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../../contracts' : '../../contracts');

/** One line per problem: which file, where in it, and what is wrong. */
export class ClauseLibraryError extends Error {
  constructor(public readonly problems: string[]) {
    super(`The clause library is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ClauseLibraryError';
  }
}

const ajv = new Ajv({ allErrors: true, strict: true });
const validateSchema = ajv.compile<ClauseSet>(schema);

const NUMERIC = new Set(['integer', 'number']);

/** What the schema cannot say: keys inside their set and unique, thresholds that fit their type and order. */
export function clauseSetProblems(set: ClauseSet): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  set.clauses.forEach((clause, ci) => {
    const at = `clauses[${ci}]`;
    if (!clause.key.startsWith(`${set.set}.`)) problems.push(`${at}.key: '${clause.key}' must start with the set's key '${set.set}.'`);
    if (keys.has(clause.key)) problems.push(`${at}.key: duplicate clause key '${clause.key}'`);
    keys.add(clause.key);
    const params = new Set<string>();
    clause.params?.forEach((p, pi) => {
      const pat = `${at}.params[${pi}]`;
      if (params.has(p.key)) problems.push(`${pat}.key: duplicate parameter key '${p.key}'`);
      params.add(p.key);
      problems.push(...paramProblems(p).map((m) => `${pat}: ${m}`));
    });
  });
  return problems;
}

function paramProblems(p: ClauseParam): string[] {
  const out: string[] = [];
  const numeric = NUMERIC.has(p.type);
  const limits = (['min', 'max', 'weakAbove', 'gapAbove', 'weakBelow', 'gapBelow'] as const).filter((k) => p[k] !== undefined);
  if (!numeric) {
    if (limits.length) out.push(`${limits.join(', ')}: only numeric parameters have limits and thresholds`);
    if (p.unit) out.push('unit: only numeric parameters have a unit');
  }
  if (p.expected !== undefined && p.type !== 'boolean') out.push('expected: only boolean parameters have an expected value');
  if (p.min !== undefined && p.max !== undefined && p.min > p.max) out.push('min: is above max');
  if (p.weakAbove !== undefined && p.gapAbove !== undefined && p.weakAbove > p.gapAbove) out.push('weakAbove: must not exceed gapAbove');
  if (p.weakBelow !== undefined && p.gapBelow !== undefined && p.weakBelow < p.gapBelow) out.push('weakBelow: must not be under gapBelow');
  const above = p.weakAbove !== undefined || p.gapAbove !== undefined;
  const below = p.weakBelow !== undefined || p.gapBelow !== undefined;
  if (above && below) out.push('thresholds: a parameter is either better low (…Above) or better high (…Below), not both');
  return out;
}

/** Parses and checks one file of the library; returns the problems instead of throwing. */
export function checkClauseSetSource(file: string, source: string): { set?: ClauseSet; problems: string[] } {
  const parsed = parseYamlFile(file, source);
  if (parsed.problems.length) return { problems: parsed.problems };
  const schema = schemaProblemsOf(validateSchema, parsed.value);
  if (schema.length) return { problems: schema.map((p) => `${file}: ${p.path}: ${p.message}`) };
  const set = parsed.value as ClauseSet;
  const problems = clauseSetProblems(set);
  if (problems.length) return { problems: problems.map((p) => `${file}: ${p}`) };
  return { set, problems: [] };
}

/** Loads every `*.yaml` in the folder, or throws with every problem found; nothing is half-loaded. */
export function loadClauseLibrary(dir: string = CONTRACTS_DIR): ClauseLibrary {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const problems: string[] = [];
  const sets: ClauseSet[] = [];
  const setFiles = new Map<string, string>();
  const clauseFiles = new Map<string, string>();
  if (!files.length) problems.push(`${dir}: no clause files (*.yaml)`);
  for (const file of files) {
    const result = checkClauseSetSource(file, fs.readFileSync(path.join(dir, file), 'utf8'));
    problems.push(...result.problems);
    if (!result.set) continue;
    if (setFiles.has(result.set.set)) problems.push(`${file}: set: set key '${result.set.set}' is also used by ${setFiles.get(result.set.set)}`);
    setFiles.set(result.set.set, file);
    for (const c of result.set.clauses) {
      if (clauseFiles.has(c.key)) problems.push(`${file}: clause '${c.key}' is also defined in ${clauseFiles.get(c.key)}`);
      clauseFiles.set(c.key, file);
    }
    sets.push(result.set);
  }
  if (problems.length) throw new ClauseLibraryError(problems);
  return buildLibrary(sets);
}
