import Ajv from 'ajv';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DataProblem, parseYamlFile, schemaProblemsOf } from '../common/yaml-data';
import { ConditionNode, ConditionSyntaxError, parseCondition, referencedKeys } from './conditions/condition';
import schema from './module.schema.json';
import type { QuestionDefinition, QuestionnaireModule } from './questionnaire-module';

export const QUESTIONNAIRES_DIR = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../../../questionnaires' : '../../questionnaires');

const CHOICE_TYPES = new Set(['single_choice', 'multi_choice']);
const SCORED_TYPES = new Set(['yes_no', 'yes_no_na', 'single_choice', 'multi_choice']);

/** One line per problem: which file, where in it, and what is wrong. */
export class ModuleLoadError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Questionnaire modules are not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ModuleLoadError';
  }
}

export interface LoadedModule {
  file: string;
  module: QuestionnaireModule;
  /** Parsed display conditions by question key. */
  conditions: Map<string, ConditionNode>;
}

const ajv = new Ajv({ allErrors: true, strict: true });
const validateSchema = ajv.compile<QuestionnaireModule>(schema);

/** Checks what a JSON Schema cannot: unique keys, options per type, conditions that parse and point at real questions. */
export function semanticProblems(mod: QuestionnaireModule): { problems: string[]; conditions: Map<string, ConditionNode> } {
  const problems: string[] = [];
  const conditions = new Map<string, ConditionNode>();
  const questions = new Map<string, QuestionDefinition>();
  const sectionKeys = new Set<string>();

  mod.sections.forEach((section, si) => {
    if (sectionKeys.has(section.key)) problems.push(`sections[${si}].key: duplicate section key '${section.key}'`);
    sectionKeys.add(section.key);
    section.questions.forEach((q, qi) => {
      const at = `sections[${si}].questions[${qi}]`;
      if (questions.has(q.key)) problems.push(`${at}.key: duplicate question key '${q.key}'`);
      questions.set(q.key, q);
      if (CHOICE_TYPES.has(q.type)) {
        if (!q.options) problems.push(`${at}.options: a ${q.type} question needs options`);
        const optionKeys = new Set<string>();
        q.options?.forEach((o, oi) => {
          if (optionKeys.has(o.key)) problems.push(`${at}.options[${oi}].key: duplicate option key '${o.key}'`);
          optionKeys.add(o.key);
        });
      } else if (q.options) {
        problems.push(`${at}.options: only single_choice and multi_choice questions have options`);
      }
      if (q.expected && !['yes_no', 'yes_no_na'].includes(q.type)) problems.push(`${at}.expected: only yes/no questions have an expected answer`);
      // A question of weight 0 only steers which questions follow: it is not scored and raises nothing.
      if (SCORED_TYPES.has(q.type) && q.weight !== 0 && !q.finding) problems.push(`${at}.finding: a scored question needs the finding it raises when it fails`);
      if (q.critical && (!SCORED_TYPES.has(q.type) || q.weight === 0)) problems.push(`${at}.critical: only scored yes/no and choice questions can be critical`);
    });
  });

  mod.sections.forEach((section, si) =>
    section.questions.forEach((q, qi) => {
      if (!q.condition) return;
      const at = `sections[${si}].questions[${qi}].condition`;
      let node: ConditionNode;
      try {
        node = parseCondition(q.condition);
      } catch (err) {
        if (err instanceof ConditionSyntaxError) {
          problems.push(`${at}: ${err.message} in "${q.condition}"`);
          return;
        }
        throw err;
      }
      for (const key of referencedKeys(node)) {
        if (key === q.key) problems.push(`${at}: a question cannot depend on itself`);
        else if (!questions.has(key)) problems.push(`${at}: refers to unknown question '${key}'`);
      }
      checkComparedValues(node, questions, (message) => problems.push(`${at}: ${message}`));
      conditions.set(q.key, node);
    }),
  );
  return { problems, conditions };
}

function checkComparedValues(node: ConditionNode, questions: Map<string, QuestionDefinition>, report: (m: string) => void): void {
  if (node.kind === 'and' || node.kind === 'or') return node.items.forEach((n) => checkComparedValues(n, questions, report));
  if (node.kind === 'not') return checkComparedValues(node.item, questions, report);
  if (node.kind !== 'compare') return;
  const target = questions.get(node.key);
  if (!target) return;
  const value = String(node.value);
  if (CHOICE_TYPES.has(target.type) && !target.options?.some((o) => o.key === value)) {
    report(`'${value}' is not an option of '${node.key}'`);
  } else if (['yes_no', 'yes_no_na'].includes(target.type) && !['yes', 'no', 'na'].includes(value)) {
    report(`'${node.key}' is answered yes, no${target.type === 'yes_no_na' ? ' or na' : ''}, not '${value}'`);
  } else if (node.op === 'has' && target.type !== 'multi_choice') {
    report(`'has' needs a multi_choice question; '${node.key}' is ${target.type}`);
  }
}

/** One problem of a module object: where (`sections[0].questions[2].options`, `(root)`) and what. */
export type ModuleProblem = DataProblem;

/** The JSON Schema check alone (module.schema.json). */
export function schemaProblems(data: unknown): ModuleProblem[] {
  return schemaProblemsOf(validateSchema, data);
}

/** Splits a `path: message` line of `semanticProblems` into its parts. */
export function splitProblem(problem: string): ModuleProblem {
  const at = problem.indexOf(': ');
  return at < 0 ? { path: '(root)', message: problem } : { path: problem.slice(0, at), message: problem.slice(at + 2) };
}

/**
 * The checks the YAML loader runs, on a module that is already an object (for modules built
 * from other sources, such as an imported table): the schema first, then `semanticProblems`.
 */
export function checkModuleObject(data: unknown): { module?: QuestionnaireModule; conditions?: Map<string, ConditionNode>; problems: ModuleProblem[] } {
  const schema = schemaProblems(data);
  if (schema.length) return { problems: schema };
  const mod = data as QuestionnaireModule;
  const { problems, conditions } = semanticProblems(mod);
  if (problems.length) return { problems: problems.map(splitProblem) };
  return { module: mod, conditions, problems: [] };
}

/** Parses and checks one module's YAML text; returns the problems instead of throwing. */
export function checkModuleSource(file: string, source: string): { loaded?: LoadedModule; problems: string[] } {
  const parsed = parseYamlFile(file, source);
  if (parsed.problems.length) return { problems: parsed.problems };
  const checked = checkModuleObject(parsed.value);
  if (!checked.module) return { problems: checked.problems.map((p) => `${file}: ${p.path}: ${p.message}`) };
  return { loaded: { file, module: checked.module, conditions: checked.conditions! }, problems: [] };
}

/** Loads every `*.yaml` in the folder, or throws with every problem found; nothing is half-loaded. */
export function loadModules(dir: string = QUESTIONNAIRES_DIR): LoadedModule[] {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort();
  const problems: string[] = [];
  const loaded: LoadedModule[] = [];
  const keys = new Map<string, string>();
  for (const file of files) {
    const result = checkModuleSource(file, fs.readFileSync(path.join(dir, file), 'utf8'));
    problems.push(...result.problems);
    if (!result.loaded) continue;
    const key = result.loaded.module.key;
    if (keys.has(key)) problems.push(`${file}: key: module key '${key}' is also used by ${keys.get(key)}`);
    keys.set(key, file);
    loaded.push(result.loaded);
  }
  if (problems.length) throw new ModuleLoadError(problems);
  return loaded;
}
