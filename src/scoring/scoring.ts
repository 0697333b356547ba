/**
 * Questionnaire scoring, exactly as domain.md §3 describes it. Pure functions over plain
 * data: no database, no framework. Every number comes with the rule that produced it,
 * so any score can be explained question by question.
 */
import { AnswerValue, ConditionNode, evaluateCondition } from '../questionnaires/conditions/condition';
import type { Tier } from '../vendors/vendor.enums';

export type QuestionType = 'yes_no' | 'yes_no_na' | 'single_choice' | 'multi_choice' | 'text' | 'number' | 'date' | 'file';
export type EvidenceRule = 'none' | 'optional' | 'required';
export type ControlBand = 'strong' | 'adequate' | 'weak' | 'poor';

export interface ScoringQuestion {
  key: string;
  type: QuestionType;
  /** Default 1. */
  weight?: number;
  critical?: boolean;
  /** An unanswered required question scores 0; an unanswered optional one is left out. Default true. */
  required?: boolean;
  /** For yes/no questions: the favourable answer. Default 'yes'. */
  expected?: 'yes' | 'no';
  /** For choice questions: each option's score in [0, 1]. */
  options?: ReadonlyArray<{ key: string; score: number }>;
  evidence?: EvidenceRule;
  /** Shown only when this holds over the answers; hidden questions are not applicable. */
  condition?: ConditionNode;
}

export interface ScoringSection {
  key: string;
  /** W, default 1. */
  weight?: number;
  questions: readonly ScoringQuestion[];
}

export interface ReviewInput {
  /** The reviewer's verdict on the attached evidence (or on the answer as a whole). */
  evidence?: 'accepted' | 'rejected' | null;
  /** A reviewed score in [0, 1] that replaces the automatic one; needs a reason elsewhere. */
  overrideScore?: number | null;
}

export interface AnswerInput {
  /** yes_no: 'yes' | 'no'; yes_no_na may also be 'na'; single_choice: option key; multi_choice: option keys. */
  value: AnswerValue;
  evidenceCount?: number;
  review?: ReviewInput;
}

export type QuestionRule =
  | 'hidden'
  | 'not_applicable'
  | 'unanswered_optional'
  | 'unanswered_required'
  | 'matches_expected'
  | 'differs_from_expected'
  | 'option_score'
  | 'options_sum_capped'
  | 'unknown_option'
  | 'awaiting_reviewer_score'
  | 'reviewer_score'
  | 'na_not_allowed';

export interface QuestionScore {
  key: string;
  section: string;
  applicable: boolean;
  rule: QuestionRule;
  /** Score from the answer alone, before the evidence rule (null when not scored). */
  answerScore: number | null;
  /** Score after the evidence rule: what the product computes by itself. */
  autoScore: number | null;
  /** The reviewer's override, when there is one. */
  reviewedScore: number | null;
  /** The score that counts: the reviewed one when present, else the automatic one. */
  score: number | null;
  weight: number;
  /** Evidence rule applied: favourable answer without evidence, or evidence verdicts. */
  evidenceRule: 'none' | 'missing_evidence_half' | 'evidence_pending_review' | 'evidence_accepted' | 'evidence_rejected';
  /** A favourable answer that only waits for its evidence to be accepted. */
  unverified: boolean;
  critical: boolean;
  criticalFailure: boolean;
}

export interface SectionScore {
  key: string;
  weight: number;
  /** 0–100, or null when no question of the section applies. */
  score: number | null;
  applicableCount: number;
  weightSum: number;
}

export interface AssessmentScore {
  questions: QuestionScore[];
  sections: SectionScore[];
  /** 0–100 over all sections, or null when nothing applies (never shown as 0 or 100). */
  overall: number | null;
  band: ControlBand | null;
  criticalFailures: string[];
  unverified: string[];
}

const NA_TYPES: ReadonlySet<QuestionType> = new Set(['yes_no_na']);
const REVIEW_SCORED: ReadonlySet<QuestionType> = new Set(['text', 'number', 'date', 'file']);

function isAnswered(v: AnswerValue): boolean {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (Array.isArray(v)) return v.length > 0;
  return true;
}

function clamp01(n: number): number {
  return Math.min(1, Math.max(0, n));
}

/** The answer's own score and the rule behind it (no evidence, no review). */
function answerScore(q: ScoringQuestion, v: AnswerValue): { score: number | null; rule: QuestionRule } {
  switch (q.type) {
    case 'yes_no':
    case 'yes_no_na':
      return String(v) === (q.expected ?? 'yes') ? { score: 1, rule: 'matches_expected' } : { score: 0, rule: 'differs_from_expected' };
    case 'single_choice': {
      const option = q.options?.find((o) => o.key === String(v));
      return option ? { score: clamp01(option.score), rule: 'option_score' } : { score: 0, rule: 'unknown_option' };
    }
    case 'multi_choice': {
      const chosen = Array.isArray(v) ? v : [String(v)];
      let sum = 0;
      for (const key of chosen) {
        const option = q.options?.find((o) => o.key === key);
        if (!option) return { score: 0, rule: 'unknown_option' };
        sum += option.score;
      }
      return { score: clamp01(sum), rule: 'options_sum_capped' };
    }
    default:
      return { score: null, rule: 'awaiting_reviewer_score' };
  }
}

export function scoreQuestion(
  q: ScoringQuestion,
  section: string,
  answer: AnswerInput | undefined,
  answers: Readonly<Record<string, AnswerValue>>,
): QuestionScore {
  // Every result is built by `result`, one object shape throughout: scoring runs on every save,
  // and spreading partial objects made it several times slower.
  const weight = q.weight ?? 1;
  const critical = q.critical ?? false;
  if (q.condition && !evaluateCondition(q.condition, answers)) return result(q.key, section, weight, critical, false, 'hidden', null, null, null, null, 'none', false);

  const value = answer?.value;
  if (value === 'na' && NA_TYPES.has(q.type)) return result(q.key, section, weight, critical, false, 'not_applicable', null, null, null, null, 'none', false);
  const override = answer?.review?.overrideScore;
  const reviewedScore = override === null || override === undefined ? null : clamp01(override);

  if (!isAnswered(value)) {
    if (q.required === false) return result(q.key, section, weight, critical, false, 'unanswered_optional', null, null, null, null, 'none', false);
    return result(q.key, section, weight, critical, true, 'unanswered_required', 0, 0, reviewedScore, reviewedScore ?? 0, 'none', false);
  }

  const { score: raw, rule } = value === 'na' ? { score: 0, rule: 'na_not_allowed' as QuestionRule } : answerScore(q, value);
  if (REVIEW_SCORED.has(q.type)) {
    // Free answers count only once a reviewer has scored them.
    if (reviewedScore === null) return result(q.key, section, weight, critical, false, 'awaiting_reviewer_score', null, null, null, null, 'none', false);
    return result(q.key, section, weight, critical, true, 'reviewer_score', null, null, reviewedScore, reviewedScore, 'none', false);
  }

  let auto = raw!;
  let evidenceRule: QuestionScore['evidenceRule'] = 'none';
  let unverified = false;
  if (q.evidence === 'required' && auto > 0) {
    const verdict = answer?.review?.evidence ?? null;
    if (verdict === 'accepted') evidenceRule = 'evidence_accepted';
    else if (verdict === 'rejected') {
      evidenceRule = 'evidence_rejected';
      auto = 0;
    } else {
      // A favourable answer whose evidence is missing or not yet accepted counts half.
      evidenceRule = (answer?.evidenceCount ?? 0) > 0 ? 'evidence_pending_review' : 'missing_evidence_half';
      auto = auto * 0.5;
      unverified = true;
    }
  }
  return result(q.key, section, weight, critical, true, rule, raw ?? 0, auto, reviewedScore, reviewedScore ?? auto, evidenceRule, reviewedScore === null && unverified);
}

function result(
  key: string,
  section: string,
  weight: number,
  critical: boolean,
  applicable: boolean,
  rule: QuestionRule,
  answerScore: number | null,
  autoScore: number | null,
  reviewedScore: number | null,
  score: number | null,
  evidenceRule: QuestionScore['evidenceRule'],
  unverified: boolean,
): QuestionScore {
  // A critical question scoring below 1 fails, unless it only waits for its evidence.
  const criticalFailure = critical && applicable && score !== null && score < 1 && !unverified;
  return { key, section, applicable, rule, answerScore, autoScore, reviewedScore, score, weight, evidenceRule, unverified, critical, criticalFailure };
}

export function controlBand(overall: number | null): ControlBand | null {
  if (overall === null) return null;
  if (overall >= 85) return 'strong';
  if (overall >= 70) return 'adequate';
  if (overall >= 50) return 'weak';
  return 'poor';
}

/** Scores an assessment made of one or more modules: all their sections together. */
export function scoreAssessment(sections: readonly ScoringSection[], answers: Readonly<Record<string, AnswerInput>>): AssessmentScore {
  const values: Record<string, AnswerValue> = {};
  for (const [key, a] of Object.entries(answers)) values[key] = a.value;

  const questions: QuestionScore[] = [];
  const sectionScores: SectionScore[] = [];
  let overallNum = 0;
  let overallDen = 0;
  for (const section of sections) {
    const W = section.weight ?? 1;
    let num = 0;
    let den = 0;
    let applicableCount = 0;
    for (const q of section.questions) {
      const s = scoreQuestion(q, section.key, answers[q.key], values);
      questions.push(s);
      if (!s.applicable || s.score === null) continue;
      applicableCount++;
      num += s.weight * s.score;
      den += s.weight;
    }
    sectionScores.push({ key: section.key, weight: W, score: den > 0 ? round(100 * (num / den)) : null, applicableCount, weightSum: den });
    overallNum += W * num;
    overallDen += W * den;
  }
  const overall = overallDen > 0 ? round(100 * (overallNum / overallDen)) : null;
  return {
    questions,
    sections: sectionScores,
    overall,
    band: controlBand(overall),
    criticalFailures: questions.filter((q) => q.criticalFailure).map((q) => q.key),
    unverified: questions.filter((q) => q.unverified).map((q) => q.key),
  };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

const RESIDUAL_MATRIX: Record<Tier, Record<ControlBand, Tier>> = {
  critical: { strong: 'medium', adequate: 'high', weak: 'critical', poor: 'critical' },
  high: { strong: 'low', adequate: 'medium', weak: 'high', poor: 'critical' },
  medium: { strong: 'low', adequate: 'low', weak: 'medium', poor: 'high' },
  low: { strong: 'low', adequate: 'low', weak: 'low', poor: 'medium' },
};

const RANK: Record<Tier, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export interface ResidualRisk {
  risk: Tier | null;
  fromMatrix: Tier | null;
  raisedByCriticalFailure: boolean;
}

/** Residual risk = matrix(inherent tier, control band); any critical failure makes it at least high. */
export function residualRisk(tier: Tier, band: ControlBand | null, criticalFailures: number): ResidualRisk {
  const fromMatrix = band ? RESIDUAL_MATRIX[tier][band] : null;
  if (criticalFailures > 0 && (fromMatrix === null || RANK[fromMatrix] < RANK.high)) {
    return { risk: 'high', fromMatrix, raisedByCriticalFailure: true };
  }
  return { risk: fromMatrix, fromMatrix, raisedByCriticalFailure: false };
}
