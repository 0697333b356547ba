import { canonicalJson, compareVersions, compileQuestionnaire, sharedQuestionKeys } from './compiled-module';
import { loadModules } from './module-loader';

describe('compiled questionnaire', () => {
  const modules = new Map(loadModules().map((l) => [l.module.key, l.module]));

  it('indexes every question of the chosen modules in display order, with parsed conditions', () => {
    const c = compileQuestionnaire([modules.get('baseline')!, modules.get('payment-processor')!]);
    const total = [...c.modules].reduce((n, m) => n + m.sections.reduce((k, s) => k + s.questions.length, 0), 0);
    expect(c.order).toHaveLength(total);
    expect(c.questions.size).toBe(total);
    expect(c.scoringSections[0].key).toBe(`baseline/${modules.get('baseline')!.sections[0].key}`);
    const withCondition = [...c.questions.values()].find((q) => q.question.condition);
    expect(withCondition?.condition).toBeDefined();
  });

  it('finds the keys baseline and baseline-lite share, so they are not sent together', () => {
    expect(sharedQuestionKeys([modules.get('baseline')!, modules.get('baseline-lite')!])).toEqual(
      expect.arrayContaining(['scope.inventory', 'policy.written', 'incident.plan']),
    );
    expect(sharedQuestionKeys([modules.get('baseline')!, modules.get('cloud-hosting')!])).toEqual([]);
    expect(() => compileQuestionnaire([modules.get('baseline')!, modules.get('baseline-lite')!])).toThrow(/more than one module/);
  });

  it.each([
    ['1.0.0', '1.0.1', -1],
    ['1.10.0', '1.9.9', 1],
    ['2.0.0', '2.0.0', 0],
    ['2.0.0-rc.1', '2.0.0', -1],
    ['2.0.0-rc.1', '2.0.0-rc.2', -1],
  ])('orders %s against %s as %d', (a, b, expected) => {
    expect(compareVersions(a, b)).toBe(expected);
  });

  it('writes canonical JSON whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 2, c: undefined, e: 'x' }] })).toBe('{"a":[{"d":2,"e":"x"}],"b":1}');
    expect(canonicalJson({ a: 1, b: 2 })).toBe(canonicalJson({ b: 2, a: 1 }));
  });
});
