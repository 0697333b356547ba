/**
 * Findings as pure rules: which failed questions raise one, when each is due, and which
 * status moves are allowed.
 */
import { addDays } from '../common/dates';
import type { QuestionScore } from '../scoring/scoring';
import type { CompiledQuestionnaire } from '../questionnaires/compiled-module';
import type { Severity } from '../questionnaires/questionnaire-module';
import type { FindingStatus } from './finding.entity';

export const SEVERITY_RANK: Record<Severity, number> = { low: 0, medium: 1, high: 2, critical: 3 };

/** Days to remediate, by severity, counted from the review's completion. */
export const REMEDIATION_DAYS: Record<Severity, number> = { critical: 30, high: 60, medium: 90, low: 180 };

export function findingDueDate(severity: Severity, fromIsoDate: string): string {
  return addDays(fromIsoDate, REMEDIATION_DAYS[severity]);
}

export interface RaisedFinding {
  questionKey: string;
  severity: Severity;
  title: { en: string; 'zh-CN': string };
  recommendation: { en: string; 'zh-CN': string };
}

/**
 * A question raises its finding when it applies, has a score that counts, scores below 1 and
 * is not merely waiting for its evidence to be accepted. A critical failure is at least high.
 */
export function findingsFromScores(c: CompiledQuestionnaire, questions: readonly QuestionScore[]): RaisedFinding[] {
  const out: RaisedFinding[] = [];
  for (const s of questions) {
    if (!s.applicable || s.score === null || s.score >= 1 || s.unverified || s.weight === 0) continue;
    const q = c.questions.get(s.key)?.question;
    if (!q?.finding) continue;
    let severity = q.finding.severity;
    if (s.criticalFailure && SEVERITY_RANK[severity] < SEVERITY_RANK.high) severity = 'high';
    out.push({ questionKey: s.key, severity, title: q.text, recommendation: q.finding.recommendation });
  }
  return out.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity]);
}

const FINDING_MOVES: Record<FindingStatus, readonly FindingStatus[]> = {
  open: ['in_remediation', 'resolved', 'risk_accepted'],
  in_remediation: ['open', 'resolved', 'risk_accepted'],
  resolved: ['open'],
  risk_accepted: ['open', 'in_remediation', 'resolved'],
};

export function allowedFindingMoves(from: FindingStatus): readonly FindingStatus[] {
  return FINDING_MOVES[from];
}
