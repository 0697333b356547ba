/**
 * Questionnaire modules and a vendor's answers as plain tables (one row per question), for
 * CSV/XLSX import and export. Pure functions over plain data: no HTTP, no database. The
 * file formats themselves are in `table-io.ts`.
 *
 * Columns of a module table (header names are case-insensitive, any order):
 *
 *   required  key, section, text, type, options, weight, critical
 *   optional  text_zh, help, help_zh, required, expected, evidence, condition, area,
 *             severity, recommendation, recommendation_zh, section_weight,
 *             section_key, section_zh, options_zh, iso27001, gdpr, pipl, pci
 *
 * - `section` is the English section title. Sections are made in the order they first
 *   appear; rows of one section need not be next to each other. The section key is
 *   `section_key` when given, else the title slugified (`Who can log in` → `who_can_log_in`).
 *   `section_zh` and `section_weight` may be written on every row of a section or only on
 *   one, but never with two different values.
 * - `*_zh` columns hold the zh-CN text and fall back to the English one when empty.
 * - `options` (choice questions only): `key=score:label|key=score:label`, e.g.
 *   `same_day=1:On their last day|within_week=0.5:Within a week|no_rule=0`. The score is a
 *   number from 0 to 1 (a decimal comma is accepted); the label is the English one and
 *   defaults to the key. A label may hold any character, `;`, `:`, `=` and `,` included;
 *   only `|` and `\` are written `\|` and `\\`.
 * - `options_zh`: `key=label|key=label` with the zh-CN labels; an option left out uses its
 *   English label.
 * - Booleans (`critical`, `required`) accept true/false, yes/no, y/n, 1/0 in any case; an
 *   empty cell leaves the default (not critical, required).
 * - `weight` and `section_weight`: a number from 0 to 100, empty for the default 1.
 * - `area`: control area of domain.md §1 (1–14). `iso27001`, `gdpr`, `pipl`, `pci`:
 *   references separated by commas, and only with an `area`.
 * - `severity` and `recommendation`: the finding a failed answer raises. A scored question
 *   without either gets a default finding: `high` when critical, else `medium`, and a
 *   generic recommendation naming the question.
 *
 * Export → import gives back the same module. The table cannot hold the module's
 * `description` and `appliesTo`: they travel in `meta`.
 */
import { translate } from '../../i18n/i18n';
import type { EvidenceRule, QuestionType } from '../../scoring/scoring';
import { checkModuleObject, ModuleProblem, schemaProblems, semanticProblems, splitProblem } from '../module-loader';
import type { LocalizedText, QuestionDefinition, QuestionnaireModule, QuestionOption, QuestionReferences, SectionDefinition, Severity } from '../questionnaire-module';
import type { Table, TableProblem, TableRow } from './table-io';

export { formatTableProblem, MAX_TABLE_ROWS, readTable, writeCsv, writeXlsx } from './table-io';
export type { Table, TableKind, TableProblem, TableRow } from './table-io';

export const REQUIRED_COLUMNS = ['key', 'section', 'text', 'type', 'options', 'weight', 'critical'] as const;

/** Every column, in the order `moduleToTable` writes them. */
export const MODULE_COLUMNS = [
  'key',
  'section',
  'type',
  'text',
  'text_zh',
  'options',
  'options_zh',
  'weight',
  'critical',
  'required',
  'expected',
  'evidence',
  'condition',
  'help',
  'help_zh',
  'area',
  'iso27001',
  'gdpr',
  'pipl',
  'pci',
  'severity',
  'recommendation',
  'recommendation_zh',
  'section_key',
  'section_zh',
  'section_weight',
] as const;

type Column = (typeof MODULE_COLUMNS)[number];

const QUESTION_TYPES: readonly QuestionType[] = ['yes_no', 'yes_no_na', 'single_choice', 'multi_choice', 'text', 'number', 'date', 'file'];
const SCORED_TYPES: ReadonlySet<string> = new Set(['yes_no', 'yes_no_na', 'single_choice', 'multi_choice']);
const EVIDENCE_RULES: readonly EvidenceRule[] = ['none', 'optional', 'required'];
const SEVERITIES: readonly Severity[] = ['low', 'medium', 'high', 'critical'];
const REFERENCE_COLUMNS = ['iso27001', 'gdpr', 'pipl', 'pci'] as const;
const TRUE_WORDS = new Set(['true', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'no', 'n', '0']);

export interface ModuleMeta {
  key: string;
  version: string;
  title: { en: string; 'zh-CN'?: string };
  /** What the table cannot hold; the description defaults to the title. */
  description?: { en: string; 'zh-CN'?: string };
  appliesTo?: QuestionnaireModule['appliesTo'];
}

/** The finding a scored question gets when its row names none. */
export function defaultFinding(questionKey: string, critical: boolean): { severity: Severity; recommendation: LocalizedText } {
  return {
    severity: critical ? 'high' : 'medium',
    recommendation: {
      en: `Review the answer to question "${questionKey}" with the vendor and agree on corrective actions, with an owner and a deadline, until the control it asks about is in place.`,
      'zh-CN': `请与供应商复核问题“${questionKey}”的回答，商定整改措施并明确责任人和完成期限，直至该问题所涉及的控制措施落实到位。`,
    },
  };
}

/** A section title as a module key: lower-case ASCII letters, digits and `_`, starting with a letter. */
export function slugify(title: string, fallback: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 62)
    .replace(/_+$/, '');
  if (!slug) return fallback;
  return /^[a-z]/.test(slug) ? slug : `s_${slug}`;
}

// ---- small cell parsers ------------------------------------------------------------------

/** A decimal number; `0,5` is read as 0.5 (Excel in many locales). */
function parseNumber(text: string): number | undefined {
  const t = text.trim().replace(/^([+-]?\d+),(\d+)$/, '$1.$2');
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function parseBoolean(text: string): boolean | undefined | 'bad' {
  const t = text.trim().toLowerCase();
  if (t === '') return undefined;
  if (TRUE_WORDS.has(t)) return true;
  if (FALSE_WORDS.has(t)) return false;
  return 'bad';
}

/** Splits at `|` not escaped by `\`; escapes stay in the parts. */
function splitOptions(cell: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < cell.length; i++) {
    if (cell[i] === '\\' && i + 1 < cell.length) {
      current += cell[i] + cell[i + 1];
      i++;
    } else if (cell[i] === '|') {
      parts.push(current);
      current = '';
    } else {
      current += cell[i];
    }
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

const unescapeLabel = (s: string) => s.replace(/\\([\\|])/g, '$1');
const escapeLabel = (s: string) => s.replace(/[\\|]/g, '\\$&');

function parseOptions(cell: string, report: (message: string) => void): { key: string; score: number; label: string }[] | undefined {
  const options: { key: string; score: number; label: string }[] = [];
  let ok = true;
  splitOptions(cell).forEach((part, i) => {
    const m = /^([^=:]*)=([^:]*)(?::([\s\S]*))?$/.exec(part);
    if (!m) {
      ok = false;
      return report(`option ${i + 1} '${part}' is not key=score:label`);
    }
    const key = m[1].trim();
    const score = parseNumber(m[2]);
    if (!key) {
      ok = false;
      return report(`option ${i + 1} '${part}' has no key`);
    }
    if (score === undefined || score < 0 || score > 1) {
      ok = false;
      return report(`option '${key}': the score '${m[2].trim()}' must be a number from 0 to 1`);
    }
    const label = unescapeLabel((m[3] ?? '').trim());
    options.push({ key, score, label: label || key });
  });
  return ok ? options : undefined;
}

function parseOptionLabels(cell: string, report: (message: string) => void): Map<string, string> | undefined {
  const labels = new Map<string, string>();
  let ok = true;
  for (const part of splitOptions(cell)) {
    const at = part.indexOf('=');
    const key = at < 0 ? '' : part.slice(0, at).trim();
    if (!key) {
      ok = false;
      report(`'${part}' is not key=label`);
      continue;
    }
    const label = unescapeLabel(part.slice(at + 1).trim());
    if (label) labels.set(key, label);
  }
  return ok ? labels : undefined;
}

const splitReferences = (cell: string) =>
  cell
    .split(/[,;|\n]/)
    .map((r) => r.trim())
    .filter(Boolean);

// ---- table → module ----------------------------------------------------------------------

interface SectionDraft {
  title: string;
  firstLine: number;
  keys: { value: string; line: number }[];
  zh: { value: string; line: number }[];
  weights: { value: string; line: number }[];
  questions: QuestionDefinition[];
  lines: number[];
}

/**
 * Builds a module from the rows of a table and checks it with the very checks of the YAML
 * loader (`checkModuleObject`), every problem tied to the line and column it comes from.
 * `module` is there only when there is no problem at all.
 */
export function tableToModule(rows: TableRow[], meta: ModuleMeta): { module?: QuestionnaireModule; problems: TableProblem[] } {
  const problems: TableProblem[] = [];
  /** Places (`line|column`) already reported, so that the module checks do not say the same again. */
  const reported = new Set<string>();
  const report = (line: number, column: Column | undefined, message: string) => {
    problems.push({ line, ...(column ? { column } : {}), message });
    reported.add(`${line}|${column ?? ''}`);
  };

  if (!rows.length) return { problems: [{ line: null, message: 'the table holds no questions' }] };

  const present = new Set(rows.flatMap((r) => Object.keys(r.cells)));
  const known = new Set<string>(MODULE_COLUMNS);
  for (const column of present) {
    if (!known.has(column)) problems.push({ line: 1, column, message: `unknown column '${column}'; the columns are ${MODULE_COLUMNS.join(', ')}` });
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !present.has(c));
  for (const column of missing) problems.push({ line: 1, column, message: `the required column '${column}' is missing` });
  if (missing.length) return { problems };

  const sections = new Map<string, SectionDraft>();
  const keyLines = new Map<string, number>();
  /** Lines whose type is unknown: what the module checks say about them follows from it. */
  const badTypeLines = new Set<number>();

  for (const row of rows) {
    const { line } = row;
    const cell = (column: Column) => (row.cells[column] ?? '').trim();
    const q: Record<string, unknown> = {};

    const key = cell('key');
    if (!key) report(line, 'key', 'a question key is required');
    else if (keyLines.has(key)) report(line, 'key', `duplicate question key '${key}' (first on line ${keyLines.get(key)})`);
    else keyLines.set(key, line);
    q.key = key;

    const typeCell = cell('type');
    const type = typeCell.toLowerCase();
    if (!(QUESTION_TYPES as readonly string[]).includes(type)) {
      badTypeLines.add(line);
      report(line, 'type', typeCell ? `unknown question type '${typeCell}'; the types are ${QUESTION_TYPES.join(', ')}` : `a question type is required: ${QUESTION_TYPES.join(', ')}`);
    }
    q.type = type;

    const text = cell('text');
    if (!text) {
      report(line, 'text', 'the English question text is required');
      reported.add(`${line}|text_zh`);
    }
    q.text = { en: text, 'zh-CN': cell('text_zh') || text };

    const help = cell('help');
    if (help) q.help = { en: help, 'zh-CN': cell('help_zh') || help };
    else if (cell('help_zh')) report(line, 'help_zh', 'help_zh needs the English help text in help');

    const optionsCell = cell('options');
    if (optionsCell) {
      const options = parseOptions(optionsCell, (m) => report(line, 'options', m));
      const zhCell = cell('options_zh');
      const zh = zhCell ? parseOptionLabels(zhCell, (m) => report(line, 'options_zh', m)) : new Map<string, string>();
      for (const k of zh?.keys() ?? []) {
        if (options && !options.some((o) => o.key === k)) report(line, 'options_zh', `'${k}' is not an option of this question`);
      }
      if (options) q.options = options.map((o): QuestionOption => ({ key: o.key, label: { en: o.label, 'zh-CN': zh?.get(o.key) ?? o.label }, score: o.score }));
    } else if (cell('options_zh')) {
      report(line, 'options_zh', 'options_zh needs the options in options');
    }

    const weightCell = cell('weight');
    if (weightCell) {
      const weight = parseNumber(weightCell);
      if (weight === undefined || weight < 0 || weight > 100) report(line, 'weight', `the weight '${weightCell}' must be a number from 0 to 100`);
      else q.weight = weight;
    }

    for (const column of ['critical', 'required'] as const) {
      const value = parseBoolean(cell(column));
      if (value === 'bad') report(line, column, `'${cell(column)}' is not true or false (also yes/no, y/n, 1/0)`);
      else if (value !== undefined) q[column] = value;
    }

    const expected = cell('expected').toLowerCase();
    if (expected === 'yes' || expected === 'no') q.expected = expected;
    else if (expected) report(line, 'expected', `the expected answer '${cell('expected')}' must be yes or no`);

    const evidence = cell('evidence').toLowerCase();
    if ((EVIDENCE_RULES as readonly string[]).includes(evidence)) q.evidence = evidence;
    else if (evidence) report(line, 'evidence', `'${cell('evidence')}' must be one of ${EVIDENCE_RULES.join(', ')}`);

    const condition = cell('condition');
    if (condition) q.condition = condition;

    const areaCell = cell('area');
    const refs: Partial<QuestionReferences> = {};
    if (areaCell) {
      const area = parseNumber(areaCell);
      if (area === undefined || !Number.isInteger(area) || area < 1 || area > 14) report(line, 'area', `the control area '${areaCell}' must be a whole number from 1 to 14`);
      else refs.area = area;
    }
    for (const column of REFERENCE_COLUMNS) {
      const list = splitReferences(cell(column));
      if (list.length) refs[column] = list;
    }
    if (!areaCell && REFERENCE_COLUMNS.some((c) => refs[c])) report(line, 'area', `references (${REFERENCE_COLUMNS.filter((c) => refs[c]).join(', ')}) need a control area`);
    if (refs.area !== undefined) q.refs = refs;

    const severityCell = cell('severity').toLowerCase();
    let severity: Severity | undefined;
    if ((SEVERITIES as readonly string[]).includes(severityCell)) severity = severityCell as Severity;
    else if (severityCell) report(line, 'severity', `'${cell('severity')}' must be one of ${SEVERITIES.join(', ')}`);
    const recommendation = cell('recommendation');
    if (!recommendation && cell('recommendation_zh')) report(line, 'recommendation_zh', 'recommendation_zh needs the English recommendation in recommendation');
    const scored = SCORED_TYPES.has(type) && q.weight !== 0;
    if (severity || recommendation || severityCell || scored) {
      const fallback = defaultFinding(key, q.critical === true);
      q.finding = {
        severity: severity ?? fallback.severity,
        recommendation: recommendation ? { en: recommendation, 'zh-CN': cell('recommendation_zh') || recommendation } : fallback.recommendation,
      };
    }

    const title = cell('section');
    if (!title) {
      report(line, 'section', 'a section title is required');
      reported.add(`${line}|section_zh`);
    }
    let section = sections.get(title);
    if (!section) {
      section = { title, firstLine: line, keys: [], zh: [], weights: [], questions: [], lines: [] };
      sections.set(title, section);
    }
    if (cell('section_key')) section.keys.push({ value: cell('section_key'), line });
    if (cell('section_zh')) section.zh.push({ value: cell('section_zh'), line });
    if (cell('section_weight')) section.weights.push({ value: cell('section_weight'), line });
    section.questions.push(q as unknown as QuestionDefinition);
    section.lines.push(line);
  }

  /** The one value a section's rows give for a column, or a problem where they disagree. */
  const single = (draft: SectionDraft, values: { value: string; line: number }[], column: Column): string | undefined => {
    for (const v of values.slice(1)) {
      if (v.value !== values[0].value) {
        report(v.line, column, `section '${draft.title}' has ${column} '${values[0].value}' on line ${values[0].line} and '${v.value}' here`);
        return undefined;
      }
    }
    return values[0]?.value;
  };

  const drafts = [...sections.values()];
  const sectionDefs: SectionDefinition[] = drafts.map((draft, i) => {
    const def: Record<string, unknown> = {
      key: single(draft, draft.keys, 'section_key') ?? slugify(draft.title, `section_${i + 1}`),
      title: { en: draft.title, 'zh-CN': single(draft, draft.zh, 'section_zh') ?? draft.title },
    };
    const weightCell = single(draft, draft.weights, 'section_weight');
    if (weightCell !== undefined) {
      const weight = parseNumber(weightCell);
      const at = draft.weights[0].line;
      if (weight === undefined || weight < 0 || weight > 100) report(at, 'section_weight', `the section weight '${weightCell}' must be a number from 0 to 100`);
      else def.weight = weight;
    }
    def.questions = draft.questions;
    return def as unknown as SectionDefinition;
  });

  const built: QuestionnaireModule = {
    key: meta.key,
    version: meta.version,
    title: { en: meta.title.en, 'zh-CN': meta.title['zh-CN'] || meta.title.en },
    description: meta.description ? { en: meta.description.en, 'zh-CN': meta.description['zh-CN'] || meta.description.en } : { en: meta.title.en, 'zh-CN': meta.title['zh-CN'] || meta.title.en },
    ...(meta.appliesTo ? { appliesTo: meta.appliesTo } : {}),
    sections: sectionDefs,
  };

  // The loader's checks. When the schema fails they stop there; the table is built by us
  // and always has the module's shape, so the condition checks can still run and be shown
  // in the same pass.
  const checked = checkModuleObject(built);
  const moduleProblems = [...checked.problems];
  if (!checked.module && schemaProblems(built).length) {
    try {
      moduleProblems.push(...semanticProblems(built).problems.map(splitProblem));
    } catch {
      // The schema problems already tell what is wrong.
    }
  }
  const seen = new Set<string>();
  for (const p of moduleProblems) {
    const mapped = locate(p, drafts, present);
    const place = `${mapped.line ?? ''}|${mapped.column ?? ''}`;
    if (mapped.line !== null && reported.has(place)) continue;
    if (mapped.line !== null && badTypeLines.has(mapped.line) && mapped.column !== 'key' && mapped.column !== 'condition') continue;
    const id = `${place}|${mapped.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push(mapped);
  }

  problems.sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER));
  return problems.length ? { problems } : { module: checked.module, problems };
}

const QUESTION_FIELD_COLUMNS: [RegExp, Column][] = [
  [/^key/, 'key'],
  [/^type/, 'type'],
  [/^text\.zh-CN/, 'text_zh'],
  [/^text/, 'text'],
  [/^help\.zh-CN/, 'help_zh'],
  [/^help/, 'help'],
  [/^options\[\d+\]\.label\.zh-CN/, 'options_zh'],
  [/^options/, 'options'],
  [/^weight/, 'weight'],
  [/^critical/, 'critical'],
  [/^required/, 'required'],
  [/^expected/, 'expected'],
  [/^evidence/, 'evidence'],
  [/^condition/, 'condition'],
  [/^refs\.iso27001/, 'iso27001'],
  [/^refs\.gdpr/, 'gdpr'],
  [/^refs\.pipl/, 'pipl'],
  [/^refs\.pci/, 'pci'],
  [/^refs/, 'area'],
  [/^finding\.recommendation\.zh-CN/, 'recommendation_zh'],
  [/^finding\.recommendation/, 'recommendation'],
  [/^finding/, 'severity'],
];

/** Maps a module problem (`sections[1].questions[3].options[0].key: ...`) back to the table. */
function locate(problem: ModuleProblem, drafts: SectionDraft[], present: Set<string>): TableProblem {
  const m = /^sections\[(\d+)\](?:\.questions\[(\d+)\])?(?:\.(.*))?$/.exec(problem.path);
  const draft = m ? drafts[Number(m[1])] : undefined;
  if (!m || !draft) return { line: null, message: `module${problem.path === '(root)' ? '' : ` ${problem.path}`}: ${problem.message}` };
  const rest = m[3] ?? '';
  if (m[2] !== undefined) {
    const line = draft.lines[Number(m[2])] ?? draft.firstLine;
    const column = QUESTION_FIELD_COLUMNS.find(([re]) => re.test(rest))?.[1];
    // Within a cell that holds a list (options, references), say which item.
    const detail = /\[\d+\]/.test(rest) ? `${rest}: ` : '';
    return { line, ...(column ? { column } : {}), message: `${detail}${problem.message}` };
  }
  let column: Column = 'section';
  if (rest.startsWith('key')) column = present.has('section_key') ? 'section_key' : 'section';
  else if (rest.startsWith('title.zh-CN')) column = 'section_zh';
  else if (rest.startsWith('weight')) column = 'section_weight';
  const message = rest.startsWith('key') && column === 'section' ? `${problem.message}, made from the title '${draft.title}'; set section_key to choose another` : problem.message;
  return { line: draft.firstLine, column, message };
}

// ---- module → table ----------------------------------------------------------------------

const bool = (v: boolean | undefined) => (v === undefined ? '' : String(v));
const num = (v: number | undefined) => (v === undefined ? '' : String(v));

/** One row per question, with every column of `MODULE_COLUMNS`; `tableToModule` reads it back to the same module. */
export function moduleToTable(mod: QuestionnaireModule): Table {
  const rows = mod.sections.flatMap((section) =>
    section.questions.map((q) => {
      const cells: Record<Column, string> = {
        key: q.key,
        section: section.title.en,
        type: q.type,
        text: q.text.en,
        text_zh: q.text['zh-CN'],
        options: q.options?.map((o) => `${o.key}=${o.score}:${escapeLabel(o.label.en)}`).join('|') ?? '',
        options_zh: q.options?.map((o) => `${o.key}=${escapeLabel(o.label['zh-CN'])}`).join('|') ?? '',
        weight: num(q.weight),
        critical: bool(q.critical),
        required: bool(q.required),
        expected: q.expected ?? '',
        evidence: q.evidence ?? '',
        condition: q.condition ?? '',
        help: q.help?.en ?? '',
        help_zh: q.help?.['zh-CN'] ?? '',
        area: num(q.refs?.area),
        iso27001: q.refs?.iso27001?.join(', ') ?? '',
        gdpr: q.refs?.gdpr?.join(', ') ?? '',
        pipl: q.refs?.pipl?.join(', ') ?? '',
        pci: q.refs?.pci?.join(', ') ?? '',
        severity: q.finding?.severity ?? '',
        recommendation: q.finding?.recommendation.en ?? '',
        recommendation_zh: q.finding?.recommendation['zh-CN'] ?? '',
        section_key: section.key,
        section_zh: section.title['zh-CN'],
        section_weight: num(section.weight),
      };
      return MODULE_COLUMNS.map((c) => cells[c]);
    }),
  );
  return { header: [...MODULE_COLUMNS], rows };
}

// ---- answers → table ---------------------------------------------------------------------

export interface AnswerExportInput {
  /** The modules of the assessment, in the order to list them. */
  modules: QuestionnaireModule[];
  /** By question key. */
  answers: Record<
    string,
    {
      value: string | string[] | number | null;
      comment: string | null;
      evidence: { name: string; sha256: string }[];
      reviewStatus: string | null;
      reviewNote: string | null;
    }
  >;
  /** By question key: the score that counts (0–1) and the rule that produced it. */
  scores: Record<string, { score: number | null; rule: string; applicable: boolean }>;
  lang: 'en' | 'zh-CN';
}

const ANSWER_HEADER: Record<AnswerExportInput['lang'], string[]> = {
  en: ['Module', 'Section', 'Question key', 'Question', 'Type', 'Answer', 'Comment', 'Evidence', 'Score', 'Rule', 'Review status', 'Reviewer note'],
  'zh-CN': ['模块', '章节', '问题编号', '问题', '题型', '回答', '备注', '证明材料', '得分', '计分规则', '审核状态', '审核意见'],
};

/** A catalogue text when the catalogue has it, else the code itself. */
function label(lang: AnswerExportInput['lang'], key: string, code: string): string {
  const text = translate(lang, key);
  return text === key ? code : text;
}

function answerText(q: QuestionDefinition, value: string | string[] | number | null, lang: AnswerExportInput['lang']): string {
  if (value === null || value === undefined) return '';
  const optionLabel = (key: string) => q.options?.find((o) => o.key === key)?.label[lang] ?? key;
  if (q.type === 'yes_no' || q.type === 'yes_no_na') return typeof value === 'string' ? label(lang, `portal.answer.${value}`, value) : String(value);
  if (q.type === 'single_choice' && typeof value === 'string') return optionLabel(value);
  if (q.type === 'multi_choice') return (Array.isArray(value) ? value : [String(value)]).map(optionLabel).join('; ');
  return Array.isArray(value) ? value.join('; ') : String(value);
}

/**
 * One row per question of every module, answered or not, in the chosen language: what a
 * reviewer needs to read a vendor's answers offline. Scores are the 0–1 question scores,
 * rounded to 4 decimals; a question that is not applicable has no score.
 */
export function answersToTable(input: AnswerExportInput): Table {
  const { lang } = input;
  const rows: string[][] = [];
  for (const mod of input.modules) {
    for (const section of mod.sections) {
      for (const q of section.questions) {
        const answer = input.answers[q.key];
        const score = input.scores[q.key];
        rows.push([
          mod.title[lang],
          section.title[lang],
          q.key,
          q.text[lang],
          label(lang, `questionnaire.type.${q.type}`, q.type),
          answer ? answerText(q, answer.value, lang) : '',
          answer?.comment ?? '',
          (answer?.evidence ?? []).map((e) => `${e.name} (sha256 ${e.sha256})`).join('\n'),
          score && score.applicable && score.score !== null ? String(Math.round(score.score * 10000) / 10000) : '',
          score ? label(lang, `review.rule.${score.rule}`, score.rule) : '',
          answer?.reviewStatus ? label(lang, `review.decision.${answer.reviewStatus}`, answer.reviewStatus) : '',
          answer?.reviewNote ?? '',
        ]);
      }
    }
  }
  return { header: [...ANSWER_HEADER[lang]], rows };
}
