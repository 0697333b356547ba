/**
 * The portal's no-JavaScript forms: what a posted section form means as answers, which of them
 * changed, and how an answer is shown as text. Pure functions over the form body and the
 * vendor's view; the rules of what a valid answer is stay in the portal service.
 */
import type { FieldError } from '../common/errors/app-exception';
import { field, fieldList, type FormBody } from '../common/forms/form-body';
import type { AnswerValue } from '../questionnaires/conditions/condition';
import type { PortalQuestionView, PortalView } from './portal-view';
import type { AnswerInputData } from './portal.service';

/** Form field prefixes: `value.<key>`, `comment.<key>`, `version.<key>` (the version the page showed). */
export const VALUE_FIELD = 'value.';
export const COMMENT_FIELD = 'comment.';
export const VERSION_FIELD = 'version.';

/** What the vendor posted for one question, normalized the way the service stores it. */
export interface PostedAnswer {
  key: string;
  baseVersion: number;
  /** A string, a list (multi choice) or null when left empty; undefined when the question takes no value (file). */
  value: string | string[] | null | undefined;
  /** null when empty; undefined when no comment field was posted. */
  comment: string | null | undefined;
}

export interface AnswerChange {
  key: string;
  input: AnswerInputData;
}

/** The newer answer a stale save lost against (`problem.current`). */
export interface SavedCurrent {
  value: AnswerValue | null;
  comment: string | null;
  version: number;
}

const VERSION = /^\d{1,7}$/;
const KEY = /^[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$/;

/** Every question of the view, by key, in questionnaire order. */
export function questionsByKey(view: PortalView): Map<string, PortalQuestionView> {
  return new Map(view.sections.flatMap((s) => s.questions.map((q) => [q.key, q] as const)));
}

/** The answers of a posted form: one per question that carries a `version.<key>` field. */
export function postedAnswers(body: FormBody, questions: ReadonlyMap<string, PortalQuestionView>): PostedAnswer[] {
  const posted: PostedAnswer[] = [];
  for (const q of questions.values()) {
    if (body[VERSION_FIELD + q.key] === undefined) continue;
    const version = field(body, VERSION_FIELD + q.key).trim();
    posted.push({
      key: q.key,
      // A malformed version can match no saved answer: the save is refused as stale, never applied blindly.
      baseVersion: VERSION.test(version) ? Number(version) : -1,
      value: postedValue(body, q),
      comment: body[COMMENT_FIELD + q.key] === undefined ? undefined : emptyToNull(lines(field(body, COMMENT_FIELD + q.key))),
    });
  }
  return posted;
}

function postedValue(body: FormBody, q: PortalQuestionView): PostedAnswer['value'] {
  const name = VALUE_FIELD + q.key;
  switch (q.type) {
    case 'file':
      return undefined;
    case 'multi_choice': {
      const list = fieldList(body, name).filter((v) => v !== '');
      return list.length ? list : null;
    }
    case 'text':
      return emptyToNull(lines(field(body, name)));
    default:
      return emptyToNull(field(body, name).trim());
  }
}

/** Browsers post textarea line breaks as CRLF; script saves send LF. Both are stored as LF. */
function lines(s: string): string {
  return s.replace(/\r\n?/g, '\n');
}

function emptyToNull(s: string): string | null {
  return s.trim() === '' ? null : s;
}

/** The posted answers that differ from what is saved, as the service's input. Unchanged ones are skipped. */
export function changedAnswers(posted: readonly PostedAnswer[], questions: ReadonlyMap<string, PortalQuestionView>): AnswerChange[] {
  const changes: AnswerChange[] = [];
  for (const p of posted) {
    const q = questions.get(p.key);
    if (!q) continue;
    const valueChanged = p.value !== undefined && !sameValue(q, q.value, p.value);
    const commentChanged = p.comment !== undefined && (p.comment ?? null) !== (q.comment === null ? null : lines(q.comment));
    if (!valueChanged && !commentChanged) continue;
    changes.push({
      key: p.key,
      input: { baseVersion: p.baseVersion, ...(valueChanged ? { value: p.value } : {}), ...(commentChanged ? { comment: p.comment } : {}) },
    });
  }
  return changes;
}

/** Whether a posted value means the same answer as the saved one. */
export function sameValue(q: Pick<PortalQuestionView, 'type'>, saved: AnswerValue | null, posted: string | string[] | null): boolean {
  const isEmpty = (v: unknown) => v === null || v === undefined || v === '' || (Array.isArray(v) && v.length === 0);
  if (isEmpty(saved) || isEmpty(posted)) return isEmpty(saved) && isEmpty(posted);
  if (q.type === 'multi_choice') {
    const a = (Array.isArray(saved) ? saved : [String(saved)]).map(String).sort();
    const b = (Array.isArray(posted) ? posted : [posted!]).slice().sort();
    return a.length === b.length && a.every((v, i) => v === b[i]);
  }
  if (Array.isArray(posted)) return false;
  if (q.type === 'number') return /^-?\d+(\.\d+)?$/.test(posted!) && Number(posted) === Number(saved);
  if (q.type === 'text') return lines(String(saved)) === posted;
  return String(saved) === posted;
}

/** The question as the vendor posted it: shown again when their change could not be saved. */
export function withPosted(q: PortalQuestionView, p: PostedAnswer, current?: SavedCurrent): PortalQuestionView {
  return {
    ...q,
    value: p.value === undefined ? q.value : p.value,
    comment: p.comment === undefined ? q.comment : p.comment,
    // After a conflict the form carries the newer version: saving again keeps the vendor's answer.
    version: current ? current.version : q.version,
  };
}

/** Copies the view, replacing the given questions. */
export function replaceQuestions(view: PortalView, replace: (q: PortalQuestionView) => PortalQuestionView): PortalView {
  return { ...view, sections: view.sections.map((s) => ({ ...s, questions: s.questions.map(replace) })) };
}

/** The answer as a reader sees it: option labels, translated yes/no, or the text itself; null when unanswered. */
export function displayValue(q: Pick<PortalQuestionView, 'type' | 'options'>, value: AnswerValue | null, t: (key: string) => string): string | null {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return null;
  const label = (v: string) => {
    if ((q.type === 'yes_no' || q.type === 'yes_no_na') && ['yes', 'no', 'na'].includes(v)) return t(`portal.answer.${v}`);
    return q.options.find((o) => o.key === v)?.label ?? v;
  };
  return Array.isArray(value) ? value.map((v) => label(String(v))).join(', ') : label(String(value));
}

/** The choices a radio question offers: yes/no (/n.a.) are translated, choice questions bring their own. */
export function choicesOf(q: Pick<PortalQuestionView, 'type' | 'options'>, t: (key: string) => string): Array<{ key: string; label: string }> {
  if (q.type === 'yes_no' || q.type === 'yes_no_na') {
    return (q.type === 'yes_no' ? ['yes', 'no'] : ['yes', 'no', 'na']).map((key) => ({ key, label: t(`portal.answer.${key}`) }));
  }
  return q.options;
}

/** Rules of an answer check that have a translated message (`portal.error.<rule>`). */
const TRANSLATED_RULES = new Set(['isIn', 'answerType', 'arrayUnique', 'maxLength', 'isNumber', 'isDate', 'isFile']);

/** Where an invalid answer's error belongs and what to show: a catalogue key where there is one, else the English message. */
export function answerError(errors: readonly FieldError[] | undefined, detail: string | undefined): { field: 'value' | 'comment'; message: string } {
  const e = errors?.[0];
  const fieldName = e?.path === 'comment' ? 'comment' : 'value';
  if (e?.rule && TRANSLATED_RULES.has(e.rule)) return { field: fieldName, message: `portal.error.${fieldName === 'comment' ? 'comment_' : ''}${e.rule}` };
  return { field: fieldName, message: e?.message ?? detail ?? 'portal.error.answerType' };
}

/** DOM id of a section (`module/section` → `s-module--section`). */
export function sectionDomId(sectionId: string): string {
  return `s-${sectionId.replace(/\//g, '--')}`;
}

/** `#q-<key>` for a question key that looks like one, else nothing. */
export function questionAnchor(key: unknown): string {
  return typeof key === 'string' && key.length <= 100 && KEY.test(key) ? `#q-${key}` : '';
}

/** `#s-…` for a posted section id that belongs to the view, else nothing. */
export function sectionAnchor(sectionId: unknown, view: PortalView): string {
  return typeof sectionId === 'string' && view.sections.some((s) => s.id === sectionId) ? `#${sectionDomId(sectionId)}` : '';
}
