import { Injectable } from '@nestjs/common';
import type { Locale } from '../i18n/i18n';
import { answersToTable } from '../questionnaires/import/module-table';
import type { TableKind } from '../questionnaires/import/module-table';
import type { QuestionnaireModule } from '../questionnaires/questionnaire-module';
import { ExportedFile, tableFile } from '../questionnaires/questionnaire-transfer.service';
import { AssessmentsService } from './assessments.service';

/** A vendor's answers, with evidence, scores and verdicts, as CSV or XLSX. */
@Injectable()
export class AssessmentExportService {
  constructor(private readonly assessments: AssessmentsService) {}

  async exportAnswers(assessmentId: string, kind: TableKind, lang: Locale): Promise<ExportedFile> {
    const s = await this.assessments.state(assessmentId);
    const answers: Parameters<typeof answersToTable>[0]['answers'] = {};
    for (const key of s.questionnaire.order) {
      const a = s.answers.get(key);
      const value = a?.value;
      answers[key] = {
        value: value === undefined || value === null || typeof value === 'boolean' ? (value === undefined ? null : (value as null)) : (value as string | string[] | number),
        comment: a?.comment ?? null,
        evidence: s.evidence.filter((e) => e.questionKey === key).map((e) => ({ name: e.name, sha256: e.sha256 })),
        reviewStatus: a?.reviewDecision ?? null,
        reviewNote: a?.reviewNote ?? null,
      };
    }
    const scores: Parameters<typeof answersToTable>[0]['scores'] = {};
    for (const q of s.score.questions) scores[q.key] = { score: q.score, rule: q.rule, applicable: q.applicable };
    const table = answersToTable({ modules: s.questionnaire.modules as QuestionnaireModule[], answers, scores, lang });
    const vendor = s.vendor.name.replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-|-$/g, '').slice(0, 60) || 'vendor';
    return tableFile(`answers-${vendor}-${s.assessment.createdAt.toISOString().slice(0, 10)}`, table, kind, 'answers');
  }
}
