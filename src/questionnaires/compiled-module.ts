/**
 * A questionnaire made ready for answering and scoring: conditions parsed once, questions
 * indexed by key, scoring sections built. Pure; versions are immutable, so a compiled
 * version can be cached for the life of the process.
 */
import { ConditionNode, parseCondition } from './conditions/condition';
import type { QuestionDefinition, QuestionnaireModule, SectionDefinition } from './questionnaire-module';
import type { ScoringSection } from '../scoring/scoring';

export interface IndexedQuestion {
  question: QuestionDefinition;
  section: SectionDefinition;
  module: QuestionnaireModule;
  condition?: ConditionNode;
}

export interface CompiledQuestionnaire {
  modules: QuestionnaireModule[];
  /** Sections of every module, in order, as the scorer wants them. */
  scoringSections: ScoringSection[];
  questions: Map<string, IndexedQuestion>;
  /** Question keys in display order. */
  order: string[];
}

export function compileQuestionnaire(modules: readonly QuestionnaireModule[]): CompiledQuestionnaire {
  const questions = new Map<string, IndexedQuestion>();
  const scoringSections: ScoringSection[] = [];
  const order: string[] = [];
  for (const module of modules) {
    for (const section of module.sections) {
      const scoringQuestions = section.questions.map((question) => {
        const condition = question.condition ? parseCondition(question.condition) : undefined;
        const key = question.key;
        if (questions.has(key)) throw new Error(`Question key '${key}' is in more than one module; check with sharedQuestionKeys() first`);
        questions.set(key, { question, section, module, condition });
        order.push(key);
        return {
          key,
          type: question.type,
          weight: question.weight,
          critical: question.critical,
          required: question.required,
          expected: question.expected,
          options: question.options,
          evidence: question.evidence,
          condition,
        };
      });
      scoringSections.push({ key: `${module.key}/${section.key}`, weight: section.weight, questions: scoringQuestions });
    }
  }
  return { modules: [...modules], scoringSections, questions, order };
}

/** Question keys that appear in more than one of the modules: such modules cannot be sent together. */
export function sharedQuestionKeys(modules: readonly QuestionnaireModule[]): string[] {
  const seen = new Set<string>();
  const shared = new Set<string>();
  for (const m of modules) for (const s of m.sections) for (const q of s.questions) (seen.has(q.key) ? shared : seen).add(q.key);
  return [...shared];
}

/** Semantic-version order of `a` and `b` (major.minor.patch; a pre-release sorts before its release). */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core, pre] = v.split('-', 2);
    return { parts: core.split('.').map((n) => Number(n) || 0), pre: pre ?? null };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.parts[i] ?? 0) - (y.parts[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === null) return 1;
  if (y.pre === null) return -1;
  return x.pre < y.pre ? -1 : 1;
}

/** Canonical JSON: keys sorted, so the same definition always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function questionCount(module: QuestionnaireModule): number {
  return module.sections.reduce((n, s) => n + s.questions.length, 0);
}
