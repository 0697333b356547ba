import { compileQuestionnaire } from '../questionnaires/compiled-module';
import type { QuestionnaireModule } from '../questionnaires/questionnaire-module';
import { scoreAnswers } from '../assessments/assessment-score';
import { allowedFindingMoves, findingDueDate, findingsFromScores } from './finding-rules';

const t = (en: string) => ({ en, 'zh-CN': `${en}（中文）` });
const finding = (severity: 'low' | 'medium' | 'high' | 'critical') => ({ severity, recommendation: t(`fix ${severity}`) });

describe('finding rules', () => {
  const mod: QuestionnaireModule = {
    key: 'm',
    version: '1.0.0',
    title: t('M'),
    description: t('M'),
    sections: [
      {
        key: 's',
        title: t('S'),
        questions: [
          { key: 'mfa', type: 'yes_no', critical: true, text: t('MFA'), refs: { area: 4 }, finding: finding('medium') },
          { key: 'backup', type: 'yes_no', evidence: 'required', text: t('Backup'), refs: { area: 10 }, finding: finding('high') },
          {
            key: 'training',
            type: 'single_choice',
            text: t('Training'),
            options: [
              { key: 'yearly', label: t('Yearly'), score: 1 },
              { key: 'onboarding', label: t('At onboarding'), score: 0.5 },
            ],
            refs: { area: 2 },
            finding: finding('low'),
          },
          { key: 'steer', type: 'yes_no', weight: 0, text: t('Steer'), refs: { area: 1 } },
          { key: 'ok', type: 'yes_no', text: t('OK'), refs: { area: 1 }, finding: finding('critical') },
        ],
      },
    ],
  };
  const c = compileQuestionnaire([mod]);
  const answers = new Map([
    ['mfa', { value: 'no', evidenceCount: 0 }],
    ['backup', { value: 'yes', evidenceCount: 0 }],
    ['training', { value: 'onboarding', evidenceCount: 0 }],
    ['steer', { value: 'no', evidenceCount: 0 }],
    ['ok', { value: 'yes', evidenceCount: 0 }],
  ]);

  it('raises one per failed question, critical failures at least high, not for unverified evidence or steering questions', () => {
    const score = scoreAnswers(c, answers);
    const raised = findingsFromScores(c, score.questions);
    expect(raised.map((f) => [f.questionKey, f.severity])).toEqual([
      ['mfa', 'high'],
      ['training', 'low'],
    ]);
    expect(raised[0].recommendation['zh-CN']).toBe('fix medium（中文）');
  });

  it('raises the evidence question once the reviewer rejects its evidence', () => {
    const reviewed = new Map(answers);
    reviewed.set('backup', { value: 'yes', evidenceCount: 1, review: { evidence: 'rejected' } } as never);
    const raised = findingsFromScores(c, scoreAnswers(c, reviewed).questions);
    expect(raised.map((f) => f.questionKey)).toEqual(['mfa', 'backup', 'training']);
  });

  it.each([
    ['critical', '2026-04-01'],
    ['high', '2026-05-01'],
    ['medium', '2026-05-31'],
    ['low', '2026-08-29'],
  ] as const)('gives a %s finding until %s from 2026-03-02', (severity, due) => {
    expect(findingDueDate(severity, '2026-03-02')).toBe(due);
  });

  it('allows the remediation moves and reopening, never from resolved straight to accepted', () => {
    expect(allowedFindingMoves('open')).toEqual(['in_remediation', 'resolved', 'risk_accepted']);
    expect(allowedFindingMoves('resolved')).toEqual(['open']);
  });
});
