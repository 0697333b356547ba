/**
 * The reviewer's view of an assessment, and the explanation of every number in it: for each
 * question its answer, weight, rule and scores; for each section and the whole, the sums that
 * give the score; and how the residual risk follows from tier, band and critical failures.
 * Pure: built from an assessment's state.
 */
import type { AssessmentState } from '../assessments/assessments.service';
import type { AnswerValue } from '../questionnaires/conditions/condition';
import type { Locale } from '../i18n/i18n';
import { QuestionScore, residualRisk, ResidualRisk } from '../scoring/scoring';

export interface ReviewQuestion {
  key: string;
  sectionId: string;
  type: string;
  text: string;
  help: string | null;
  critical: boolean;
  evidenceRule: string;
  options: Array<{ key: string; label: string; score: number }>;
  expected: string | null;
  answer: AnswerValue | null;
  answerLabel: string | null;
  comment: string | null;
  files: Array<{ id: string; name: string; size: number; mime: string; sha256: string; uploadedAt: string }>;
  score: QuestionScore;
  review: {
    decision: 'accepted' | 'rejected' | null;
    note: string | null;
    overrideScore: number | null;
    overrideReason: string | null;
    reviewedBy: string | null;
    reviewedAt: string | null;
  };
  clarification: { open: boolean; note: string | null };
  finding: { severity: string; recommendation: string } | null;
  /** For an answer carried over from the last assessment: what it was, and whether the vendor changed or confirmed it. */
  carriedOver: { previous: AnswerValue | null; previousLabel: string | null; state: 'changed' | 'unchanged' | 'pending' } | null;
}

export interface ReviewSection {
  id: string;
  moduleKey: string;
  title: string;
  weight: number;
  score: number | null;
  applicableCount: number;
  /** Σ w·s and Σ w over the applicable questions: score = 100 × sum / weightSum. */
  weightedSum: number;
  weightSum: number;
  questions: ReviewQuestion[];
}

export interface ReviewSheet {
  overall: {
    score: number | null;
    band: string | null;
    /** Σ W·w·s and Σ W·w over all sections: overall = 100 × weightedSum / weightSum. */
    weightedSum: number;
    weightSum: number;
    criticalFailures: string[];
    unverified: string[];
  };
  residual: ResidualRisk & { inherentTier: string };
  sections: ReviewSection[];
}

function labelOf(options: Array<{ key: string; label: string }>, v: AnswerValue | null): string | null {
  if (v === null || v === undefined) return null;
  const list = Array.isArray(v) ? v : [String(v)];
  return list.map((k) => options.find((o) => o.key === k)?.label ?? k).join('; ');
}

const YES_NO: Record<string, Record<Locale, string>> = {
  yes: { en: 'Yes', 'zh-CN': '是' },
  no: { en: 'No', 'zh-CN': '否' },
  na: { en: 'Not applicable', 'zh-CN': '不适用' },
};

export function buildReviewSheet(s: AssessmentState, locale: Locale): ReviewSheet {
  const scores = new Map(s.score.questions.map((q) => [q.key, q]));
  const sectionScores = new Map(s.score.sections.map((x) => [x.key, x]));
  const files = new Map<string, ReviewQuestion['files']>();
  for (const e of s.evidence) {
    const list = files.get(e.questionKey) ?? [];
    list.push({ id: e.id, name: e.name, size: e.size, mime: e.mime, sha256: e.sha256, uploadedAt: new Date(e.uploadedAt).toISOString() });
    files.set(e.questionKey, list);
  }
  let overallNum = 0;
  let overallDen = 0;
  const sections: ReviewSection[] = [];
  for (const module of s.questionnaire.modules) {
    for (const section of module.sections) {
      const id = `${module.key}/${section.key}`;
      const sc = sectionScores.get(id);
      let num = 0;
      const questions = section.questions.map((q): ReviewQuestion => {
        const score = scores.get(q.key)!;
        if (score.applicable && score.score !== null) num += score.weight * score.score;
        const a = s.answers.get(q.key);
        const options = (q.options ?? []).map((o) => ({ key: o.key, label: o.label[locale], score: o.score }));
        const value = a?.value ?? null;
        const labelFor = (v: AnswerValue | null): string | null =>
          q.type === 'yes_no' || q.type === 'yes_no_na'
            ? v === null
              ? null
              : (YES_NO[String(v)]?.[locale] ?? String(v))
            : q.type === 'single_choice' || q.type === 'multi_choice'
              ? labelOf(options, v)
              : v === null
                ? null
                : String(v);
        const answerLabel = labelFor(value);
        const previous = a?.prefilledFrom ? (a.previousValue ?? null) : null;
        return {
          key: q.key,
          sectionId: id,
          type: q.type,
          text: q.text[locale],
          help: q.help?.[locale] ?? null,
          critical: q.critical ?? false,
          evidenceRule: q.type === 'file' ? 'required' : (q.evidence ?? 'none'),
          options,
          expected: q.expected ?? (q.type === 'yes_no' || q.type === 'yes_no_na' ? 'yes' : null),
          answer: value,
          answerLabel,
          comment: a?.comment ?? null,
          files: files.get(q.key) ?? [],
          score,
          review: {
            decision: a?.reviewDecision ?? null,
            note: a?.reviewNote ?? null,
            // In percent, as the reviewer entered it (the scorer's 0–1 score is in `score`).
            overrideScore: a?.overrideX100 === null || a?.overrideX100 === undefined ? null : a.overrideX100 / 100,
            overrideReason: a?.overrideReason ?? null,
            reviewedBy: a?.reviewedBy ?? null,
            reviewedAt: a?.reviewedAt ? new Date(a.reviewedAt).toISOString() : null,
          },
          clarification: { open: a?.clarificationOpen ?? false, note: a?.clarificationNote ?? null },
          finding: q.finding ? { severity: q.finding.severity, recommendation: q.finding.recommendation[locale] } : null,
          carriedOver: a?.prefilledFrom
            ? {
                previous,
                previousLabel: labelFor(previous),
                state: !a.confirmedAt ? 'pending' : JSON.stringify(previous) === JSON.stringify(value) ? 'unchanged' : 'changed',
              }
            : null,
        };
      });
      const W = section.weight ?? 1;
      overallNum += W * num;
      overallDen += W * (sc?.weightSum ?? 0);
      sections.push({
        id,
        moduleKey: module.key,
        title: section.title[locale],
        weight: W,
        score: sc?.score ?? null,
        applicableCount: sc?.applicableCount ?? 0,
        weightedSum: round(num),
        weightSum: sc?.weightSum ?? 0,
        questions,
      });
    }
  }
  const tier = s.assessment.inherentTier ?? s.vendor.tier;
  return {
    overall: {
      score: s.score.overall,
      band: s.score.band,
      weightedSum: round(overallNum),
      weightSum: round(overallDen),
      criticalFailures: s.score.criticalFailures,
      unverified: s.score.unverified,
    },
    residual: { ...residualRisk(tier, s.score.band, s.score.criticalFailures.length), inherentTier: tier },
    sections,
  };
}

function round(n: number): number {
  return Math.round(n * 10000) / 10000;
}
