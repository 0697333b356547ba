import { ConditionSyntaxError, evaluateCondition, parseCondition, referencedKeys } from './condition';

const holds = (src: string, answers: Record<string, unknown>) => evaluateCondition(parseCondition(src), answers as never);

describe('condition language', () => {
  it.each([
    ['mfa', { mfa: 'yes' }, true],
    ['mfa', { mfa: 'no' }, false],
    ['mfa', { mfa: 'na' }, false],
    ['mfa', {}, false],
    ['!mfa', { mfa: 'no' }, true],
    ["hosting == 'cloud'", { hosting: 'cloud' }, true],
    ['hosting == cloud', { hosting: 'on_prem' }, false],
    ["hosting != 'cloud'", {}, true],
    ["hosting == 'cloud'", {}, false],
    ['staff >= 50', { staff: 120 }, true],
    ['staff < 50', { staff: '49' }, true],
    ['staff > 50', { staff: 'many' }, false],
    ['data has payment_card', { data: ['contact', 'payment_card'] }, true],
    ['data has health', { data: ['contact'] }, false],
    ['data == contact', { data: ['contact'] }, true],
    ['data', { data: [] }, false],
    ['a && b || c', { a: 'yes', b: 'no', c: 'yes' }, true],
    ['a && (b || c)', { a: 'yes', b: 'no', c: 'no' }, false],
    ['!(a || b) && c', { a: 'no', b: 'no', c: 'yes' }, true],
    ['!!a', { a: 'yes' }, true],
    ["review_date >= '2026-01-01'", { review_date: '2026-03-01' }, true],
  ])('%s with %j is %s', (src, answers, expected) => {
    expect(holds(src, answers)).toBe(expected);
  });

  it('binds && tighter than ||', () => {
    expect(parseCondition('a || b && c')).toEqual({
      kind: 'or',
      items: [{ kind: 'ref', key: 'a' }, { kind: 'and', items: [{ kind: 'ref', key: 'b' }, { kind: 'ref', key: 'c' }] }],
    });
  });

  it('lists the keys a condition reads', () => {
    expect(referencedKeys(parseCondition("a && (b == 'x' || !c) && a"))).toEqual(['a', 'b', 'c']);
  });

  it.each([
    ['', 'expression expected'],
    ['a &&', 'expression expected'],
    ['(a || b', "')' expected"],
    ['a == ', 'value expected'],
    ["a == 'open", 'unterminated string'],
    ['a b', "unexpected 'b'"],
    ['a $ b', "unexpected character '$'"],
    ['== a', 'question key expected'],
  ])('rejects %j: %s', (src, message) => {
    expect(() => parseCondition(src)).toThrow(ConditionSyntaxError);
    expect(() => parseCondition(src)).toThrow(message);
  });
});
