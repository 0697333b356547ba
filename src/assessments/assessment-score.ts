/** Scores an assessment's answers with the pure scorer of domain.md §3. */
import type { CompiledQuestionnaire } from '../questionnaires/compiled-module';
import { AnswerInput, AssessmentScore, ReviewInput, scoreAssessment } from '../scoring/scoring';
import type { AnswerState } from './answer-rules';

export interface ScoredAnswer extends AnswerState {
  review?: ReviewInput;
}

export function scoreAnswers(c: CompiledQuestionnaire, answers: ReadonlyMap<string, ScoredAnswer>): AssessmentScore {
  const inputs: Record<string, AnswerInput> = {};
  for (const [key, a] of answers) {
    const q = c.questions.get(key);
    if (!q) continue;
    // A file question's answer is its file: attached or not.
    const value = q.question.type === 'file' ? (a.evidenceCount > 0 ? 'attached' : null) : a.value;
    inputs[key] = { value, evidenceCount: a.evidenceCount, review: a.review };
  }
  return scoreAssessment(c.scoringSections, inputs);
}
