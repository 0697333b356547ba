/**
 * What the vendor sees of an assessment: localized questions with their visibility, answers,
 * files and progress. Built from the assessment's state; shared by the pages and the JSON API.
 * Scores, weights and critical flags stay on the staff side.
 */
import type { AssessmentState } from '../assessments/assessments.service';
import { VENDOR_EDITABLE } from '../assessments/assessment-lifecycle';
import { AnswerValue } from '../questionnaires/conditions/condition';
import type { Locale } from '../i18n/i18n';
import type { QuestionType } from '../scoring/scoring';

export interface PortalFileView {
  id: string;
  name: string;
  size: number;
  uploadedAt: string;
}

export interface PortalQuestionView {
  key: string;
  type: QuestionType;
  text: string;
  help: string | null;
  required: boolean;
  evidence: 'none' | 'optional' | 'required';
  options: Array<{ key: string; label: string }>;
  /** The display condition as written, so the page can re-evaluate it as answers change. */
  condition: string | null;
  visible: boolean;
  value: AnswerValue | null;
  comment: string | null;
  /** 0 before the first save; every save must carry the version it started from. */
  version: number;
  files: PortalFileView[];
  editable: boolean;
  /** The reviewer's question, when this answer was reopened for clarification. */
  clarification: string | null;
  /** Carried over from the vendor's last assessment and not yet confirmed or changed. */
  carriedOver: boolean;
}

export interface PortalSectionView {
  id: string;
  moduleKey: string;
  key: string;
  title: string;
  visible: number;
  answered: number;
  questions: PortalQuestionView[];
}

export interface PortalView {
  assessment: {
    id: string;
    status: string;
    dueDate: string;
    vendorName: string;
    recipientName: string;
    language: Locale;
    message: string | null;
    clarificationMessage: string | null;
    submittedAt: string | null;
  };
  modules: Array<{ key: string; version: string; title: string; description: string }>;
  sections: PortalSectionView[];
  progress: {
    visible: number;
    answered: number;
    missingRequired: Array<{ key: string; text: string }>;
    missingEvidence: Array<{ key: string; text: string }>;
    /** Answers carried over from the last assessment that still need confirming or changing. */
    unconfirmed: Array<{ key: string; text: string }>;
  };
  /** Whether the vendor may still change anything. */
  editable: boolean;
}

export function buildPortalView(s: AssessmentState, locale: Locale): PortalView {
  const { assessment: a, questionnaire: c, progress } = s;
  const editable = VENDOR_EDITABLE.has(a.status);
  const visible = new Set(progress.visible);
  const filesByQuestion = new Map<string, PortalFileView[]>();
  for (const e of s.evidence) {
    const list = filesByQuestion.get(e.questionKey) ?? [];
    list.push({ id: e.id, name: e.name, size: e.size, uploadedAt: new Date(e.uploadedAt).toISOString() });
    filesByQuestion.set(e.questionKey, list);
  }
  const sectionProgress = new Map(progress.sections.map((p) => [`${p.moduleKey}/${p.sectionKey}`, p]));
  const textOf = (key: string) => c.questions.get(key)?.question.text[locale] ?? key;
  const sections: PortalSectionView[] = [];
  for (const module of c.modules) {
    for (const section of module.sections) {
      const id = `${module.key}/${section.key}`;
      const p = sectionProgress.get(id);
      sections.push({
        id,
        moduleKey: module.key,
        key: section.key,
        title: section.title[locale],
        visible: p?.visible ?? 0,
        answered: p?.answered ?? 0,
        questions: section.questions.map((q) => {
          const answer = s.answers.get(q.key);
          const open = a.status === 'clarification_requested' ? !!answer?.clarificationOpen : editable;
          return {
            key: q.key,
            type: q.type,
            text: q.text[locale],
            help: q.help ? q.help[locale] : null,
            required: q.required !== false,
            evidence: q.type === 'file' ? 'required' : (q.evidence ?? 'none'),
            options: (q.options ?? []).map((o) => ({ key: o.key, label: o.label[locale] })),
            condition: q.condition ?? null,
            visible: visible.has(q.key),
            value: answer?.value ?? null,
            comment: answer?.comment ?? null,
            version: answer?.version ?? 0,
            files: filesByQuestion.get(q.key) ?? [],
            editable: open,
            clarification: answer?.clarificationOpen ? answer.clarificationNote : null,
            carriedOver: !!answer?.prefilledFrom && !answer.confirmedAt,
          };
        }),
      });
    }
  }
  return {
    assessment: {
      id: a.id,
      status: a.status,
      dueDate: a.dueDate,
      vendorName: s.vendor.name,
      recipientName: a.recipientName,
      language: a.language,
      message: a.message,
      clarificationMessage: a.status === 'clarification_requested' ? a.clarificationMessage : null,
      submittedAt: a.submittedAt ? new Date(a.submittedAt).toISOString() : null,
    },
    modules: c.modules.map((m, i) => ({ key: m.key, version: m.version, title: m.title[locale], description: m.description[locale], position: i })).map(({ position: _p, ...m }) => m),
    sections,
    progress: {
      visible: progress.visible.length,
      answered: progress.answered,
      missingRequired: progress.missingRequired.map((key) => ({ key, text: textOf(key) })),
      missingEvidence: progress.missingEvidence.map((key) => ({ key, text: textOf(key) })),
      unconfirmed: progress.visible.filter((key) => s.answers.get(key)?.prefilledFrom && !s.answers.get(key)?.confirmedAt).map((key) => ({ key, text: textOf(key) })),
    },
    editable,
  };
}
