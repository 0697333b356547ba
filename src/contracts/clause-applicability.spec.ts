import { applicableClauses, clauseApplicability, DataProfile, evaluateRule, Reason, RuleResult } from './clause-applicability';
import { ApplicabilityRule, buildLibrary, ClauseDefinition, ClauseSet } from './clause-library';

/** A medium-tier SaaS vendor holding identity and contact data of people in the EU and California. */
const profile = (over: Partial<DataProfile> = {}): DataProfile => ({
  dataCategories: ['identity', 'contact'],
  jurisdictions: ['EU', 'US-CA'],
  crossBorder: false,
  tier: 'medium',
  volumeBand: '1k_100k',
  category: 'saas',
  ...over,
});
const noPersonalData = profile({ dataCategories: [], jurisdictions: [] });
const withCard = profile({ dataCategories: ['identity', 'payment_card'] });

const text = (en: string) => ({ en, 'zh-CN': en });
const clause = (key: string, appliesWhen?: ApplicabilityRule): ClauseDefinition => ({
  key,
  title: text(key),
  explanation: text(`What ${key} says`),
  source: `Source of ${key}`,
  severity: 'medium',
  ...(appliesWhen ? { appliesWhen } : {}),
});
const set = (key: string, appliesWhen: ApplicabilityRule, clauses: ClauseDefinition[]): ClauseSet => ({
  set: key,
  title: text(key),
  source: text(`Law of ${key}`),
  appliesWhen,
  clauses,
});

describe('evaluateRule: simple conditions', () => {
  it.each<[string, ApplicabilityRule, DataProfile, RuleResult]>([
    ['personalData: true with data', { personalData: true }, profile(), { holds: true, reasons: [{ factor: 'personalData', holds: true }] }],
    ['personalData: true without data', { personalData: true }, noPersonalData, { holds: false, reasons: [{ factor: 'personalData', holds: false }] }],
    ['personalData: false without data', { personalData: false }, noPersonalData, { holds: true, reasons: [{ factor: 'personalData', holds: false }] }],
    ['personalData: false with data', { personalData: false }, profile(), { holds: false, reasons: [{ factor: 'personalData', holds: true }] }],
    ['paymentCard: true with card data', { paymentCard: true }, withCard, { holds: true, reasons: [{ factor: 'paymentCard', holds: true }] }],
    ['paymentCard: true without card data', { paymentCard: true }, profile(), { holds: false, reasons: [{ factor: 'paymentCard', holds: false }] }],
    ['paymentCard: false without card data', { paymentCard: false }, profile(), { holds: true, reasons: [{ factor: 'paymentCard', holds: false }] }],
    ['paymentCard: false with card data', { paymentCard: false }, withCard, { holds: false, reasons: [{ factor: 'paymentCard', holds: true }] }],
    ['crossBorder: true when it crosses', { crossBorder: true }, profile({ crossBorder: true }), { holds: true, reasons: [{ factor: 'crossBorder', holds: true }] }],
    ['crossBorder: true when it stays', { crossBorder: true }, profile(), { holds: false, reasons: [{ factor: 'crossBorder', holds: false }] }],
    ['crossBorder: false when it stays', { crossBorder: false }, profile(), { holds: true, reasons: [{ factor: 'crossBorder', holds: false }] }],
    ['crossBorder: false when it crosses', { crossBorder: false }, profile({ crossBorder: true }), { holds: false, reasons: [{ factor: 'crossBorder', holds: true }] }],
    [
      'jurisdictions, listing only the matching ones in profile order',
      { jurisdictions: ['CN', 'US-CA', 'EU'] },
      profile({ jurisdictions: ['EU', 'other', 'US-CA'] }),
      { holds: true, reasons: [{ factor: 'jurisdictions', values: ['EU', 'US-CA'] }] },
    ],
    ['jurisdictions with none matching', { jurisdictions: ['CN'] }, profile(), { holds: false, reasons: [{ factor: 'jurisdictions', values: [] }] }],
    [
      'dataCategories, listing only the matching ones',
      { dataCategories: ['health', 'contact', 'biometric'] },
      profile({ dataCategories: ['identity', 'contact', 'health'] }),
      { holds: true, reasons: [{ factor: 'dataCategories', values: ['contact', 'health'] }] },
    ],
    ['dataCategories with none matching', { dataCategories: ['health'] }, profile(), { holds: false, reasons: [{ factor: 'dataCategories', values: [] }] }],
    ['minTier below the tier', { minTier: 'low' }, profile(), { holds: true, reasons: [{ factor: 'minTier', tier: 'medium', minimum: 'low' }] }],
    ['minTier equal to the tier', { minTier: 'medium' }, profile(), { holds: true, reasons: [{ factor: 'minTier', tier: 'medium', minimum: 'medium' }] }],
    ['minTier one above the tier', { minTier: 'high' }, profile(), { holds: false, reasons: [{ factor: 'minTier', tier: 'medium', minimum: 'high' }] }],
    ['minTier critical for a critical vendor', { minTier: 'critical' }, profile({ tier: 'critical' }), { holds: true, reasons: [{ factor: 'minTier', tier: 'critical', minimum: 'critical' }] }],
    ['volumeBands including the band', { volumeBands: ['1k_100k', 'over_1m'] }, profile(), { holds: true, reasons: [{ factor: 'volumeBands', values: ['1k_100k'] }] }],
    ['volumeBands without the band', { volumeBands: ['over_1m'] }, profile(), { holds: false, reasons: [{ factor: 'volumeBands', values: ['1k_100k'] }] }],
    ['categories including the category', { categories: ['saas', 'payment'] }, profile(), { holds: true, reasons: [{ factor: 'categories', values: ['saas'] }] }],
    ['categories without the category', { categories: ['payment'] }, profile(), { holds: false, reasons: [{ factor: 'categories', values: ['saas'] }] }],
  ])('%s', (_name, rule, p, expected) => {
    expect(evaluateRule(rule, p)).toEqual(expected);
  });

  it('holds for an empty rule, with no reasons', () => {
    expect(evaluateRule({}, profile())).toEqual({ holds: true, reasons: [] });
    expect(evaluateRule({}, noPersonalData)).toEqual({ holds: true, reasons: [] });
  });
});

describe('evaluateRule: combinations', () => {
  it('needs every condition (AND) and gives the reasons of all of them when it holds', () => {
    expect(evaluateRule({ personalData: true, jurisdictions: ['EU'], minTier: 'low' }, profile())).toEqual({
      holds: true,
      reasons: [
        { factor: 'personalData', holds: true },
        { factor: 'jurisdictions', values: ['EU'] },
        { factor: 'minTier', tier: 'medium', minimum: 'low' },
      ],
    });
  });

  it('gives only the condition that failed when an AND fails', () => {
    expect(evaluateRule({ personalData: true, jurisdictions: ['CN'], minTier: 'critical' }, profile())).toEqual({
      holds: false,
      reasons: [{ factor: 'jurisdictions', values: [] }],
    });
  });

  it('holds for `any` when one branch holds, with the reasons of the first branch that holds', () => {
    const rule: ApplicabilityRule = { any: [{ jurisdictions: ['CN'] }, { categories: ['saas'] }, { minTier: 'low' }] };
    expect(evaluateRule(rule, profile())).toEqual({ holds: true, reasons: [{ factor: 'categories', values: ['saas'] }] });
  });

  it('fails `any` when no branch holds, with the reasons of every branch', () => {
    const rule: ApplicabilityRule = { any: [{ jurisdictions: ['CN'] }, { paymentCard: true }, { minTier: 'high', categories: ['saas'] }] };
    expect(evaluateRule(rule, profile())).toEqual({
      holds: false,
      reasons: [
        { factor: 'jurisdictions', values: [] },
        { factor: 'paymentCard', holds: false },
        { factor: 'minTier', tier: 'medium', minimum: 'high' },
      ],
    });
  });

  it('checks the simple conditions before `any`', () => {
    expect(evaluateRule({ personalData: true, any: [{ jurisdictions: ['EU'] }, { jurisdictions: ['CN'] }] }, profile())).toEqual({
      holds: true,
      reasons: [
        { factor: 'personalData', holds: true },
        { factor: 'jurisdictions', values: ['EU'] },
      ],
    });
    expect(evaluateRule({ personalData: true, any: [{ jurisdictions: ['EU'] }, { jurisdictions: ['CN'] }] }, noPersonalData)).toEqual({
      holds: false,
      reasons: [{ factor: 'personalData', holds: false }],
    });
  });

  it('holds for `not` when its rule fails, giving the inner reason', () => {
    expect(evaluateRule({ not: { jurisdictions: ['CN'] } }, profile())).toEqual({
      holds: true,
      reasons: [{ factor: 'not', reasons: [{ factor: 'jurisdictions', values: [] }] }],
    });
  });

  it('fails `not` when its rule holds, giving the inner reasons', () => {
    expect(evaluateRule({ not: { personalData: true, categories: ['saas'] } }, profile())).toEqual({
      holds: false,
      reasons: [
        {
          factor: 'not',
          reasons: [
            { factor: 'personalData', holds: true },
            { factor: 'categories', values: ['saas'] },
          ],
        },
      ],
    });
  });

  it('fails `not {}` (an empty rule always holds)', () => {
    expect(evaluateRule({ not: {} }, profile())).toEqual({ holds: false, reasons: [{ factor: 'not', reasons: [] }] });
  });

  it('gives each reason once', () => {
    const rule: ApplicabilityRule = { personalData: true, any: [{ personalData: true, jurisdictions: ['EU'] }, { paymentCard: true }] };
    expect(evaluateRule(rule, profile())).toEqual({
      holds: true,
      reasons: [
        { factor: 'personalData', holds: true },
        { factor: 'jurisdictions', values: ['EU'] },
      ],
    });
  });

  it('evaluates nested any/not', () => {
    // Personal data, and either card data or (EU but not cross-border).
    const rule: ApplicabilityRule = { personalData: true, any: [{ paymentCard: true }, { jurisdictions: ['EU'], not: { crossBorder: true } }] };
    expect(evaluateRule(rule, profile()).holds).toBe(true);
    expect(evaluateRule(rule, profile({ crossBorder: true })).holds).toBe(false);
    expect(evaluateRule(rule, profile({ crossBorder: true, dataCategories: ['payment_card'] })).holds).toBe(true);
  });
});

describe('clauseApplicability and applicableClauses', () => {
  const library = buildLibrary([
    set('eu', { personalData: true, jurisdictions: ['EU'] }, [clause('eu.always'), clause('eu.big', { minTier: 'high' }), clause('eu.export', { crossBorder: true })]),
    set('cn', { jurisdictions: ['CN'] }, [clause('cn.one'), clause('cn.two', { minTier: 'low' })]),
    set('bp', {}, [clause('bp.any'), clause('bp.payments', { categories: ['payment'] })]),
  ]);
  const get = (key: string) => library.byKey.get(key)!;

  it('applies a clause without its own rule when the set rule holds, with the set reasons', () => {
    expect(clauseApplicability(get('eu.always'), profile())).toEqual({
      clause: get('eu.always'),
      applies: true,
      reasons: [
        { factor: 'personalData', holds: true },
        { factor: 'jurisdictions', values: ['EU'] },
      ],
    });
  });

  it('applies a clause when both the set rule and its own hold, with the reasons of both', () => {
    const r = clauseApplicability(get('eu.big'), profile({ tier: 'high' }));
    expect(r.applies).toBe(true);
    expect(r.reasons).toEqual([
      { factor: 'personalData', holds: true },
      { factor: 'jurisdictions', values: ['EU'] },
      { factor: 'minTier', tier: 'high', minimum: 'high' },
    ]);
  });

  it('does not apply when the set rule holds but the clause rule does not, giving the clause reason', () => {
    expect(clauseApplicability(get('eu.big'), profile())).toMatchObject({ applies: false, reasons: [{ factor: 'minTier', tier: 'medium', minimum: 'high' }] });
  });

  it('does not apply when the clause rule holds but the set rule does not, giving the set reason', () => {
    // cn.two's own rule (minTier low) holds for every vendor.
    expect(clauseApplicability(get('cn.two'), profile())).toMatchObject({ applies: false, reasons: [{ factor: 'jurisdictions', values: [] }] });
  });

  it('applies a clause of a set with an empty rule to any vendor, with no reasons', () => {
    expect(clauseApplicability(get('bp.any'), noPersonalData)).toMatchObject({ applies: true, reasons: [] });
  });

  it('gives a reason shared by the set and the clause once', () => {
    const lib = buildLibrary([set('x', { personalData: true }, [clause('x.a', { personalData: true, volumeBands: ['1k_100k'] })])]);
    expect(clauseApplicability(lib.clauses[0], profile()).reasons).toEqual<Reason[]>([
      { factor: 'personalData', holds: true },
      { factor: 'volumeBands', values: ['1k_100k'] },
    ]);
  });

  it('lists every clause in library order with whether it applies', () => {
    const result = applicableClauses(library, profile({ crossBorder: true }));
    expect(result.map((a) => [a.clause.key, a.applies])).toEqual([
      ['eu.always', true],
      ['eu.big', false],
      ['eu.export', true],
      ['cn.one', false],
      ['cn.two', false],
      ['bp.any', true],
      ['bp.payments', false],
    ]);
  });

  it('for a CN payment vendor without EU data', () => {
    const result = applicableClauses(library, profile({ jurisdictions: ['CN'], category: 'payment' }));
    expect(result.filter((a) => a.applies).map((a) => a.clause.key)).toEqual(['cn.one', 'cn.two', 'bp.any', 'bp.payments']);
  });
});
