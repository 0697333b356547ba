/**
 * What a valid answer is for each question type, which questions are visible, and what is
 * still missing before submit. Pure functions over a compiled questionnaire and plain answers.
 */
import { AnswerValue, evaluateCondition } from '../questionnaires/conditions/condition';
import type { CompiledQuestionnaire } from '../questionnaires/compiled-module';
import type { QuestionDefinition } from '../questionnaires/questionnaire-module';

export const MAX_TEXT_ANSWER = 10_000;
export const MAX_COMMENT = 4_000;

export type AnswerCheck = { ok: true; value: AnswerValue | null } | { ok: false; message: string; rule: string };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Checks a raw answer against its question and returns it in stored form. `null` (or an empty
 * string) clears the answer. Form posts send strings, so numbers and lists may arrive as text.
 */
export function checkAnswer(q: QuestionDefinition, raw: unknown): AnswerCheck {
  if (raw === null || raw === undefined || raw === '') return { ok: true, value: null };
  const fail = (message: string, rule = 'answerType') => ({ ok: false as const, message, rule });
  switch (q.type) {
    case 'yes_no':
    case 'yes_no_na': {
      const allowed = q.type === 'yes_no' ? ['yes', 'no'] : ['yes', 'no', 'na'];
      return typeof raw === 'string' && allowed.includes(raw) ? { ok: true, value: raw } : fail(`must be one of ${allowed.join(', ')}`, 'isIn');
    }
    case 'single_choice': {
      if (typeof raw !== 'string') return fail('must be the key of one option');
      return q.options?.some((o) => o.key === raw) ? { ok: true, value: raw } : fail(`'${raw}' is not an option of this question`, 'isIn');
    }
    case 'multi_choice': {
      const list = typeof raw === 'string' ? [raw] : raw;
      if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) return fail('must be a list of option keys');
      const unknown = list.find((v) => !q.options?.some((o) => o.key === v));
      if (unknown !== undefined) return fail(`'${unknown}' is not an option of this question`, 'isIn');
      if (new Set(list).size !== list.length) return fail('lists an option twice', 'arrayUnique');
      return { ok: true, value: list.length ? (list as string[]) : null };
    }
    case 'text': {
      if (typeof raw !== 'string') return fail('must be text');
      if (raw.length > MAX_TEXT_ANSWER) return fail(`must be at most ${MAX_TEXT_ANSWER} characters`, 'maxLength');
      return { ok: true, value: raw.trim() === '' ? null : raw };
    }
    case 'number': {
      const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
      return Number.isFinite(n) && Math.abs(n) < 1e15 ? { ok: true, value: n } : fail('must be a number', 'isNumber');
    }
    case 'date': {
      if (typeof raw !== 'string' || !DATE.test(raw)) return fail('must be a date as YYYY-MM-DD', 'isDate');
      const d = new Date(`${raw}T00:00:00Z`);
      return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(raw) ? { ok: true, value: raw } : fail('is not a real date', 'isDate');
    }
    case 'file':
      return fail('is answered by uploading a file, not by a value', 'isFile');
  }
}

export interface AnswerState {
  value: AnswerValue | null;
  evidenceCount: number;
}

/** Values by question key, as conditions read them (a file question counts as answered when it has a file). */
export function conditionValues(c: CompiledQuestionnaire, answers: ReadonlyMap<string, AnswerState>): Record<string, AnswerValue> {
  const values: Record<string, AnswerValue> = {};
  for (const [key, a] of answers) {
    const q = c.questions.get(key);
    if (!q) continue;
    if (q.question.type === 'file') values[key] = a.evidenceCount > 0 ? 'yes' : null;
    else if (a.value !== null) values[key] = a.value;
  }
  return values;
}

export function isVisible(c: CompiledQuestionnaire, key: string, values: Readonly<Record<string, AnswerValue>>): boolean {
  const q = c.questions.get(key);
  return !!q && (!q.condition || evaluateCondition(q.condition, values));
}

export function hasAnswer(q: QuestionDefinition, a: AnswerState | undefined): boolean {
  if (!a) return false;
  if (q.type === 'file') return a.evidenceCount > 0;
  const v = a.value;
  if (v === null || v === undefined) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

export interface SectionProgress {
  moduleKey: string;
  sectionKey: string;
  visible: number;
  answered: number;
}

export interface Progress {
  visible: string[];
  answered: number;
  /** Visible required questions without an answer: submit is refused while any remain. */
  missingRequired: string[];
  /** Visible questions whose evidence is required and not attached (allowed, but scored half). */
  missingEvidence: string[];
  sections: SectionProgress[];
}

export function progressOf(c: CompiledQuestionnaire, answers: ReadonlyMap<string, AnswerState>): Progress {
  const values = conditionValues(c, answers);
  const visible: string[] = [];
  const missingRequired: string[] = [];
  const missingEvidence: string[] = [];
  const sections = new Map<string, SectionProgress>();
  let answered = 0;
  for (const key of c.order) {
    const entry = c.questions.get(key)!;
    const sectionId = `${entry.module.key}/${entry.section.key}`;
    let s = sections.get(sectionId);
    if (!s) sections.set(sectionId, (s = { moduleKey: entry.module.key, sectionKey: entry.section.key, visible: 0, answered: 0 }));
    if (entry.condition && !evaluateCondition(entry.condition, values)) continue;
    visible.push(key);
    s.visible++;
    const a = answers.get(key);
    if (hasAnswer(entry.question, a)) {
      answered++;
      s.answered++;
      if (entry.question.evidence === 'required' && (a?.evidenceCount ?? 0) === 0 && entry.question.type !== 'file') missingEvidence.push(key);
    } else if (entry.question.required !== false) {
      missingRequired.push(key);
    }
  }
  return { visible, answered, missingRequired, missingEvidence, sections: [...sections.values()] };
}
