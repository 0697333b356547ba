import { compileQuestionnaire } from '../questionnaires/compiled-module';
import type { QuestionDefinition, QuestionnaireModule } from '../questionnaires/questionnaire-module';
import { AnswerState, checkAnswer, progressOf } from './answer-rules';

const t = (en: string) => ({ en, 'zh-CN': en });
const q = (key: string, type: QuestionDefinition['type'], extra: Partial<QuestionDefinition> = {}): QuestionDefinition => ({ key, type, text: t(key), refs: { area: 1 }, ...extra });
const options = [
  { key: 'a', label: t('A'), score: 1 },
  { key: 'b', label: t('B'), score: 0.5 },
];

describe('checkAnswer', () => {
  it.each([
    ['yes_no', 'yes', 'yes'],
    ['yes_no_na', 'na', 'na'],
    ['single_choice', 'b', 'b'],
    ['multi_choice', ['a', 'b'], ['a', 'b']],
    ['multi_choice', 'a', ['a']],
    ['multi_choice', [], null],
    ['text', 'We rotate keys yearly.', 'We rotate keys yearly.'],
    ['text', '   ', null],
    ['number', 12, 12],
    ['number', '3.5', 3.5],
    ['date', '2026-02-28', '2026-02-28'],
    ['yes_no', null, null],
    ['yes_no', '', null],
  ] as const)('accepts a %s answer %j as %j', (type, raw, stored) => {
    expect(checkAnswer(q('x', type, { options: type.includes('choice') ? options : undefined }), raw)).toEqual({ ok: true, value: stored });
  });

  it.each([
    ['yes_no', 'na', 'isIn'],
    ['yes_no', 1, 'isIn'],
    ['single_choice', 'c', 'isIn'],
    ['single_choice', ['a'], 'answerType'],
    ['multi_choice', ['a', 'a'], 'arrayUnique'],
    ['multi_choice', ['z'], 'isIn'],
    ['multi_choice', [1], 'answerType'],
    ['text', 42, 'answerType'],
    ['text', 'x'.repeat(10_001), 'maxLength'],
    ['number', 'twelve', 'isNumber'],
    ['number', Infinity, 'isNumber'],
    ['date', '2026-02-30', 'isDate'],
    ['date', '02/03/2026', 'isDate'],
    ['file', 'attached', 'isFile'],
  ] as const)('refuses a %s answer %j (%s)', (type, raw, rule) => {
    const r = checkAnswer(q('x', type, { options: type.includes('choice') ? options : undefined }), raw);
    expect(r).toMatchObject({ ok: false, rule });
  });
});

describe('progressOf', () => {
  const mod: QuestionnaireModule = {
    key: 'm',
    version: '1.0.0',
    title: t('M'),
    description: t('M'),
    sections: [
      {
        key: 's1',
        title: t('S1'),
        questions: [
          q('uses_cloud', 'yes_no', { weight: 0 }),
          q('cloud_region', 'single_choice', { options, condition: 'uses_cloud == yes' }),
          q('policy', 'yes_no', { evidence: 'required' }),
          q('notes', 'text', { required: false }),
        ],
      },
      { key: 's2', title: t('S2'), questions: [q('certificate', 'file')] },
    ],
  };
  const c = compileQuestionnaire([mod]);
  const answers = (entries: Record<string, Partial<AnswerState>>) =>
    new Map(Object.entries(entries).map(([k, v]) => [k, { value: null, evidenceCount: 0, ...v }]));

  it('counts only visible questions and lists the required ones still missing', () => {
    const p = progressOf(c, answers({}));
    expect(p.visible).toEqual(['uses_cloud', 'policy', 'notes', 'certificate']);
    expect(p.missingRequired).toEqual(['uses_cloud', 'policy', 'certificate']);
    expect(p.answered).toBe(0);
  });

  it('shows a conditional question once its condition holds, and counts files as answers to file questions', () => {
    const p = progressOf(c, answers({ uses_cloud: { value: 'yes' }, policy: { value: 'yes' }, certificate: { evidenceCount: 1 } }));
    expect(p.visible).toEqual(['uses_cloud', 'cloud_region', 'policy', 'notes', 'certificate']);
    expect(p.missingRequired).toEqual(['cloud_region']);
    expect(p.missingEvidence).toEqual(['policy']);
    expect(p.answered).toBe(3);
    expect(p.sections).toEqual([
      { moduleKey: 'm', sectionKey: 's1', visible: 4, answered: 2 },
      { moduleKey: 'm', sectionKey: 's2', visible: 1, answered: 1 },
    ]);
  });
});
