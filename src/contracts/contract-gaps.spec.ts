import type { Severity } from '../questionnaires/questionnaire-module';
import type { DataProfile } from './clause-applicability';
import { ApplicabilityRule, buildLibrary, ClauseDefinition, ClauseParam, ClauseSet } from './clause-library';
import { ChecklistEntry, ClauseStatus, contractGaps, ContractChecklist, Gap, paramGaps, vendorGaps } from './contract-gaps';
import type { ContractStatus } from './contract-terms';

const text = (en: string) => ({ en, 'zh-CN': en });
const clause = (key: string, severity: Severity, extra: Partial<ClauseDefinition> = {}): ClauseDefinition => ({
  key,
  title: text(key),
  explanation: text(`What ${key} says`),
  source: `Src ${key}`,
  severity,
  ...extra,
});
const set = (key: string, appliesWhen: ApplicabilityRule, clauses: ClauseDefinition[]): ClauseSet => ({
  set: key,
  title: text(key),
  source: text(`Law of ${key}`),
  appliesWhen,
  clauses,
});
const param = (key: string, over: Partial<ClauseParam>): ClauseParam => ({ key, type: 'integer', label: text(key), ...over });

/**
 * Library order: eu.written (critical), eu.audit (medium, EU and tier ≥ high), bp.breach (high, with
 * parameters), bp.annex (low), bp.insurance (medium), cn.agreement (high, CN only).
 */
const library = buildLibrary([
  set('eu', { personalData: true, jurisdictions: ['EU'] }, [clause('eu.written', 'critical'), clause('eu.audit', 'medium', { appliesWhen: { minTier: 'high' } })]),
  set('bp', {}, [
    clause('bp.breach', 'high', {
      params: [
        param('notify_hours', { unit: 'hours', required: true, weakAbove: 48, gapAbove: 72 }),
        param('keep_days', { type: 'number', unit: 'days', weakBelow: 30, gapBelow: 7 }),
        param('in_writing', { type: 'boolean', expected: true }),
        param('contact', { type: 'text' }),
      ],
    }),
    clause('bp.annex', 'low'),
    clause('bp.insurance', 'medium'),
  ]),
  set('cn', { jurisdictions: ['CN'] }, [clause('cn.agreement', 'high')]),
]);
const breach = library.byKey.get('bp.breach')!;

/** EU data, medium tier: eu.audit and cn.agreement do not apply. */
const profile: DataProfile = {
  dataCategories: ['identity', 'contact'],
  jurisdictions: ['EU'],
  crossBorder: false,
  tier: 'medium',
  volumeBand: '1k_100k',
  category: 'saas',
};
const APPLICABLE = ['eu.written', 'bp.breach', 'bp.annex', 'bp.insurance'];

const entry = (clauseKey: string, status: ClauseStatus, params?: ChecklistEntry['params']): ChecklistEntry => ({ clauseKey, status, ...(params ? { params } : {}) });
const contract = (id: string, status: ContractStatus, entries: ChecklistEntry[]): ContractChecklist => ({ id, title: `Contract ${id}`, status, entries });
/** Every applicable clause present, with breach parameters that meet every threshold. */
const full = (id: string, status: ContractStatus = 'active', breachParams: ChecklistEntry['params'] = { notify_hours: 24 }) =>
  contract(id, status, [entry('eu.written', 'present'), entry('bp.breach', 'present', breachParams), entry('bp.annex', 'present'), entry('bp.insurance', 'present')]);
/** The one gap of a contract that carries everything but `key`, with `key` given as `e`. */
const only = (id: string, e: ChecklistEntry, status: ContractStatus = 'active') =>
  contract(id, status, [...full(id).entries.filter((x) => x.clauseKey !== e.clauseKey), e]);

describe('vendorGaps: which contracts count', () => {
  it('reports every applicable clause missing, with its severity and source, when there is no contract', () => {
    const r = vendorGaps(library, profile, []);
    expect(r.clauses.map((c) => [c.clause.key, c.coverage])).toEqual(APPLICABLE.map((k) => [k, 'missing']));
    expect(r.gaps).toEqual<Gap[]>([
      { clauseKey: 'eu.written', kind: 'missing', severity: 'critical', source: 'Src eu.written' },
      { clauseKey: 'bp.breach', kind: 'missing', severity: 'high', source: 'Src bp.breach' },
      { clauseKey: 'bp.insurance', kind: 'missing', severity: 'medium', source: 'Src bp.insurance' },
      { clauseKey: 'bp.annex', kind: 'missing', severity: 'low', source: 'Src bp.annex' },
    ]);
    expect(r.counts).toEqual({ required: 4, present: 0, partial: 0, missing: 4, notApplicable: 0, gaps: 4 });
  });

  it.each<ContractStatus>(['active', 'expiring'])('counts a contract that is %s', (status) => {
    const r = vendorGaps(library, profile, [full('c1', status)]);
    expect(r.gaps).toEqual([]);
    expect(r.clauses.every((c) => c.coverage === 'present' && c.contractId === 'c1')).toBe(true);
    expect(r.counts).toEqual({ required: 4, present: 4, partial: 0, missing: 0, notApplicable: 0, gaps: 0 });
  });

  it.each<ContractStatus>(['draft', 'expired', 'terminated'])('does not count a %s contract: its present clauses do not cover', (status) => {
    const r = vendorGaps(library, profile, [full('c1', status)]);
    expect(r.clauses.map((c) => c.coverage)).toEqual(['missing', 'missing', 'missing', 'missing']);
    expect(r.gaps.map((g) => g.kind)).toEqual(['missing', 'missing', 'missing', 'missing']);
    expect(r.gaps.every((g) => g.contractId === undefined)).toBe(true);
  });

  it('ignores a draft that carries the clause when the contract in force lists it as missing', () => {
    const r = vendorGaps(library, profile, [only('draft', entry('bp.annex', 'present'), 'draft'), only('live', entry('bp.annex', 'missing'))]);
    expect(r.gaps).toEqual<Gap[]>([{ clauseKey: 'bp.annex', kind: 'missing', severity: 'low', source: 'Src bp.annex', contractId: 'live' }]);
  });
});

describe('vendorGaps: one contract, one clause', () => {
  it('reports a clause listed as missing with the clause severity and the contract', () => {
    const e = entry('eu.written', 'missing');
    const r = vendorGaps(library, profile, [only('c1', e)]);
    expect(r.clauses[0]).toMatchObject({ coverage: 'missing', entry: e, contractId: 'c1' });
    expect(r.gaps).toEqual<Gap[]>([{ clauseKey: 'eu.written', kind: 'missing', severity: 'critical', source: 'Src eu.written', contractId: 'c1' }]);
  });

  it('reports a clause the contract does not list as missing, without a contract', () => {
    const c = contract('c1', 'active', full('c1').entries.filter((e) => e.clauseKey !== 'bp.insurance'));
    const r = vendorGaps(library, profile, [c]);
    expect(r.clauses.find((x) => x.clause.key === 'bp.insurance')).toMatchObject({ coverage: 'missing', gaps: [{ kind: 'missing', severity: 'medium' }] });
    expect(r.gaps).toEqual<Gap[]>([{ clauseKey: 'bp.insurance', kind: 'missing', severity: 'medium', source: 'Src bp.insurance' }]);
  });

  it.each<[string, Severity, Severity]>([
    ['eu.written', 'critical', 'high'],
    ['bp.breach', 'high', 'medium'],
    ['bp.insurance', 'medium', 'low'],
    ['bp.annex', 'low', 'low'],
  ])('reports a partial %s (%s) one severity lower: %s', (key, _clauseSeverity, severity) => {
    const e = entry(key, 'partial');
    const r = vendorGaps(library, profile, [only('c1', e)]);
    expect(r.clauses.find((x) => x.clause.key === key)).toMatchObject({ coverage: 'partial', entry: e, contractId: 'c1' });
    expect(r.gaps).toEqual<Gap[]>([{ clauseKey: key, kind: 'partial', severity, source: `Src ${key}`, contractId: 'c1' }]);
  });

  it('gives no gap for a clause ruled not applicable, and counts it', () => {
    const e: ChecklistEntry = { clauseKey: 'bp.insurance', status: 'not_applicable', reason: 'Covered by our own policy' };
    const r = vendorGaps(library, profile, [only('c1', e)]);
    expect(r.clauses.find((x) => x.clause.key === 'bp.insurance')).toMatchObject({ coverage: 'not_applicable', entry: e, contractId: 'c1', gaps: [] });
    expect(r.gaps).toEqual([]);
    expect(r.counts).toEqual({ required: 4, present: 3, partial: 0, missing: 0, notApplicable: 1, gaps: 0 });
  });
});

describe('parameters of a present clause', () => {
  const base = { clauseKey: 'bp.breach', source: 'Src bp.breach', contractId: 'c1' };

  it.each<[string, ChecklistEntry['params'], Gap[]]>([
    ['all within thresholds', { notify_hours: 24, keep_days: 90, in_writing: true, contact: 'dpo@vendor.test' }, []],
    ['only the required one given', { notify_hours: 24 }, []],
    ['the required one absent', {}, [{ ...base, kind: 'param_missing', severity: 'medium', param: 'notify_hours' }]],
    ['the required one empty', { notify_hours: '' }, [{ ...base, kind: 'param_missing', severity: 'medium', param: 'notify_hours' }]],
    ['exactly at weakAbove', { notify_hours: 48 }, []],
    ['over weakAbove only', { notify_hours: 49 }, [{ ...base, kind: 'param_weak', severity: 'medium', param: 'notify_hours', value: 49, threshold: 48 }]],
    ['exactly at gapAbove', { notify_hours: 72 }, [{ ...base, kind: 'param_weak', severity: 'medium', param: 'notify_hours', value: 72, threshold: 48 }]],
    ['over gapAbove', { notify_hours: 73 }, [{ ...base, kind: 'param_gap', severity: 'high', param: 'notify_hours', value: 73, threshold: 72 }]],
    ['exactly at weakBelow', { notify_hours: 24, keep_days: 30 }, []],
    ['under weakBelow only', { notify_hours: 24, keep_days: 29 }, [{ ...base, kind: 'param_weak', severity: 'medium', param: 'keep_days', value: 29, threshold: 30 }]],
    ['exactly at gapBelow', { notify_hours: 24, keep_days: 7 }, [{ ...base, kind: 'param_weak', severity: 'medium', param: 'keep_days', value: 7, threshold: 30 }]],
    ['under gapBelow', { notify_hours: 24, keep_days: 6.5 }, [{ ...base, kind: 'param_gap', severity: 'high', param: 'keep_days', value: 6.5, threshold: 7 }]],
    ['a boolean at its expected value', { notify_hours: 24, in_writing: true }, []],
    ['a boolean not at its expected value', { notify_hours: 24, in_writing: false }, [{ ...base, kind: 'param_gap', severity: 'high', param: 'in_writing', value: false, threshold: true }]],
    ['any text', { notify_hours: 24, contact: 'anything' }, []],
    [
      'several at once, in parameter order',
      { notify_hours: 100, keep_days: 10, in_writing: false },
      [
        { ...base, kind: 'param_gap', severity: 'high', param: 'notify_hours', value: 100, threshold: 72 },
        { ...base, kind: 'param_weak', severity: 'medium', param: 'keep_days', value: 10, threshold: 30 },
        { ...base, kind: 'param_gap', severity: 'high', param: 'in_writing', value: false, threshold: true },
      ],
    ],
  ])('%s', (_name, params, expected) => {
    expect(paramGaps(breach, entry('bp.breach', 'present', params), 'c1')).toEqual(expected);
    // The vendor report carries the same gaps for the clause, with the clause counted present.
    const r = vendorGaps(library, profile, [full('c1', 'active', params)]);
    expect(r.clauses.find((c) => c.clause.key === 'bp.breach')).toMatchObject({ coverage: 'present', contractId: 'c1', gaps: expected });
    expect(r.gaps).toHaveLength(expected.length);
    expect(r.counts.present).toBe(4);
  });

  it('lists the parameter gaps of the report most severe first', () => {
    const r = vendorGaps(library, profile, [full('c1', 'active', { notify_hours: 100, keep_days: 10, in_writing: false })]);
    expect(r.gaps.map((g) => [g.param, g.kind, g.severity])).toEqual([
      ['notify_hours', 'param_gap', 'high'],
      ['in_writing', 'param_gap', 'high'],
      ['keep_days', 'param_weak', 'medium'],
    ]);
  });

  it('leaves out contractId when not given', () => {
    expect(paramGaps(breach, entry('bp.breach', 'present', { notify_hours: 80 }))).toEqual<Gap[]>([
      { clauseKey: 'bp.breach', source: 'Src bp.breach', kind: 'param_gap', severity: 'high', param: 'notify_hours', value: 80, threshold: 72 },
    ]);
  });

  it('keeps a low clause low for a missing or weak parameter', () => {
    const lowLib = buildLibrary([set('x', {}, [clause('x.low', 'low', { params: [param('n', { required: true, weakAbove: 1, gapAbove: 5 })] })])]);
    const low = lowLib.clauses[0];
    expect(paramGaps(low, entry('x.low', 'present')).map((g) => [g.kind, g.severity])).toEqual([['param_missing', 'low']]);
    expect(paramGaps(low, entry('x.low', 'present', { n: 2 })).map((g) => [g.kind, g.severity])).toEqual([['param_weak', 'low']]);
    expect(paramGaps(low, entry('x.low', 'present', { n: 6 })).map((g) => [g.kind, g.severity])).toEqual([['param_gap', 'low']]);
  });

  it('judges parameters only for a present entry', () => {
    const r = vendorGaps(library, profile, [only('c1', entry('bp.breach', 'partial', { notify_hours: 500 }))]);
    expect(r.gaps).toEqual<Gap[]>([{ clauseKey: 'bp.breach', kind: 'partial', severity: 'medium', source: 'Src bp.breach', contractId: 'c1' }]);
  });
});

describe('vendorGaps: several contracts', () => {
  it.each<[string, ChecklistEntry['params'], ChecklistEntry['params'], string, string[]]>([
    ['a weak value over a gap', { notify_hours: 80 }, { notify_hours: 50 }, 'c2', ['param_weak']],
    ['no gap over a weak value', { notify_hours: 50 }, { notify_hours: 12 }, 'c2', []],
    ['one weak value over two', { notify_hours: 50, keep_days: 20 }, { notify_hours: 50 }, 'c2', ['param_weak']],
    ['no gap over a required value not stated', {}, { notify_hours: 12 }, 'c2', []],
    ['a weak value over a gap on a boolean', { notify_hours: 24, in_writing: false }, { notify_hours: 60 }, 'c2', ['param_weak']],
    ['the first of two equally good', { notify_hours: 50 }, { notify_hours: 60 }, 'c1', ['param_weak']],
  ])('takes, of two contracts carrying the clause, the one with fewer or lighter parameter gaps: %s', (_name, p1, p2, winner, kinds) => {
    const r = vendorGaps(library, profile, [full('c1', 'active', p1), full('c2', 'expiring', p2)]);
    const c = r.clauses.find((x) => x.clause.key === 'bp.breach')!;
    expect(c.coverage).toBe('present');
    expect(c.contractId).toBe(winner);
    expect(c.gaps.map((g) => g.kind)).toEqual(kinds);
    expect(c.gaps.every((g) => g.contractId === winner)).toBe(true);
    expect(r.gaps).toEqual(c.gaps);
  });

  it.each<[ClauseStatus, ClauseStatus, string, string]>([
    ['missing', 'present', 'present', 'c2'],
    ['partial', 'present', 'present', 'c2'],
    ['not_applicable', 'present', 'present', 'c2'],
    ['missing', 'partial', 'partial', 'c2'],
    ['not_applicable', 'partial', 'partial', 'c2'],
    ['missing', 'not_applicable', 'not_applicable', 'c2'],
    ['present', 'missing', 'present', 'c1'],
    ['partial', 'missing', 'partial', 'c1'],
    ['missing', 'missing', 'missing', 'c1'],
  ])('with %s in c1 and %s in c2, the clause is %s (from %s)', (s1, s2, coverage, from) => {
    const r = vendorGaps(library, profile, [only('c1', entry('bp.insurance', s1)), only('c2', entry('bp.insurance', s2))]);
    expect(r.clauses.find((x) => x.clause.key === 'bp.insurance')).toMatchObject({ coverage, contractId: from });
  });

  it('combines clauses carried by different contracts', () => {
    const a = contract('a', 'active', [entry('eu.written', 'present'), entry('bp.annex', 'partial')]);
    const b = contract('b', 'expiring', [entry('bp.breach', 'present', { notify_hours: 24 }), entry('bp.insurance', 'present')]);
    const r = vendorGaps(library, profile, [a, b]);
    expect(r.clauses.map((c) => [c.clause.key, c.coverage, c.contractId])).toEqual([
      ['eu.written', 'present', 'a'],
      ['bp.breach', 'present', 'b'],
      ['bp.annex', 'partial', 'a'],
      ['bp.insurance', 'present', 'b'],
    ]);
    expect(r.counts).toEqual({ required: 4, present: 3, partial: 1, missing: 0, notApplicable: 0, gaps: 1 });
  });
});

describe('vendorGaps: report', () => {
  it('sorts gaps most severe first, library order among equals', () => {
    // eu.written partial → high; bp.breach param gap → high; bp.annex missing → low; bp.insurance missing → medium.
    const c = contract('c1', 'active', [entry('eu.written', 'partial'), entry('bp.breach', 'present', { notify_hours: 24, in_writing: false }), entry('bp.annex', 'missing')]);
    const r = vendorGaps(library, profile, [c]);
    expect(r.gaps.map((g) => [g.clauseKey, g.kind, g.severity])).toEqual([
      ['eu.written', 'partial', 'high'],
      ['bp.breach', 'param_gap', 'high'],
      ['bp.insurance', 'missing', 'medium'],
      ['bp.annex', 'missing', 'low'],
    ]);
    expect(r.counts).toEqual({ required: 4, present: 1, partial: 1, missing: 2, notApplicable: 0, gaps: 4 });
  });

  it('counts gaps, not clauses, when a present clause has several parameter gaps', () => {
    const r = vendorGaps(library, profile, [full('c1', 'active', { notify_hours: 90, keep_days: 1, in_writing: false })]);
    expect(r.counts).toEqual({ required: 4, present: 4, partial: 0, missing: 0, notApplicable: 0, gaps: 3 });
    expect(r.gaps.map((g) => [g.param, g.severity])).toEqual([
      ['notify_hours', 'high'],
      ['keep_days', 'high'],
      ['in_writing', 'high'],
    ]);
  });

  it('lists the clauses that do not apply with the reason that ruled each out, and ignores their entries', () => {
    const c = contract('c1', 'active', [...full('c1').entries, entry('cn.agreement', 'missing'), entry('eu.audit', 'missing')]);
    const r = vendorGaps(library, profile, [c]);
    expect(r.notRequired.map((a) => [a.clause.key, a.applies, a.reasons])).toEqual([
      ['eu.audit', false, [{ factor: 'minTier', tier: 'medium', minimum: 'high' }]],
      ['cn.agreement', false, [{ factor: 'jurisdictions', values: [] }]],
    ]);
    expect(r.clauses.map((x) => x.clause.key)).toEqual(APPLICABLE);
    expect(r.gaps).toEqual([]);
  });

  it('follows the profile: a high-tier vendor in the EU and China needs every clause', () => {
    const r = vendorGaps(library, { ...profile, tier: 'high', jurisdictions: ['EU', 'CN'] }, [full('c1')]);
    expect(r.notRequired).toEqual([]);
    expect(r.gaps.map((g) => [g.clauseKey, g.severity])).toEqual([
      ['cn.agreement', 'high'],
      ['eu.audit', 'medium'],
    ]);
    expect(r.clauses[0].reasons).toEqual([
      { factor: 'personalData', holds: true },
      { factor: 'jurisdictions', values: ['EU'] },
    ]);
  });

  it('needs only the good-practice clauses from a vendor without personal data', () => {
    const r = vendorGaps(library, { ...profile, dataCategories: [], jurisdictions: [] }, []);
    expect(r.clauses.map((c) => c.clause.key)).toEqual(['bp.breach', 'bp.annex', 'bp.insurance']);
    expect(r.notRequired.map((a) => a.clause.key)).toEqual(['eu.written', 'eu.audit', 'cn.agreement']);
  });
});

describe('contractGaps', () => {
  it.each<ContractStatus>(['draft', 'active', 'expiring', 'expired', 'terminated'])('judges a %s contract on its own entries', (status) => {
    const c = contract('c1', status, [entry('eu.written', 'present'), entry('bp.breach', 'present', { notify_hours: 60 }), entry('bp.annex', 'partial')]);
    const r = contractGaps(library, profile, c);
    expect(r.clauses.map((x) => [x.clause.key, x.coverage])).toEqual([
      ['eu.written', 'present'],
      ['bp.breach', 'present'],
      ['bp.annex', 'partial'],
      ['bp.insurance', 'missing'],
    ]);
    expect(r.gaps).toEqual<Gap[]>([
      { clauseKey: 'bp.breach', kind: 'param_weak', severity: 'medium', source: 'Src bp.breach', param: 'notify_hours', value: 60, threshold: 48, contractId: 'c1' },
      { clauseKey: 'bp.insurance', kind: 'missing', severity: 'medium', source: 'Src bp.insurance' },
      { clauseKey: 'bp.annex', kind: 'partial', severity: 'low', source: 'Src bp.annex', contractId: 'c1' },
    ]);
    expect(r.counts).toEqual({ required: 4, present: 2, partial: 1, missing: 1, notApplicable: 0, gaps: 3 });
  });
});
