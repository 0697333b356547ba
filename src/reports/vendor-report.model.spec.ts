import { sampleVendorFacts } from '../../test/support/report-facts';
import { formatDate, formatDateTime, formatScore } from './report-format';
import { buildVendorSummary, forTypeface } from './vendor-report.model';

describe('vendor risk summary model', () => {
  it('writes the summary paragraph from the facts: tier, score, critical failures, findings, clauses, next review', () => {
    const facts = sampleVendorFacts({ questions: 60, findings: 6 });
    const model = buildVendorSummary(facts, 'en', { appendix: false });
    expect(model.summary).toBe(
      'Paycrest Payments Ltd (Payment) has a High inherent risk tier. The assessment completed on 20 Feb 2027 scored 78.4 (Adequate), which leaves a Medium residual risk. ' +
        '1 critical control failed: "Do you enforce multi-factor authentication for all remote and adminis…". ' +
        '5 findings are open (4 high or critical, 2 overdue). No data-protection clause is required of its contracts. The next review is due on 20 Feb 2028.',
    );
  });

  it('names at most three critical failures and counts the rest; says when figures are provisional', () => {
    const facts = sampleVendorFacts({ questions: 400, findings: 0, completed: false });
    expect(facts.sheet!.overall.criticalFailures.length).toBeGreaterThan(3);
    const model = buildVendorSummary(facts, 'en', { appendix: false });
    expect(model.provisional).toBe(true);
    expect(model.summary).toContain(`${facts.sheet!.overall.criticalFailures.length} critical controls failed:`);
    expect(model.summary).toContain(`, and ${facts.sheet!.overall.criticalFailures.length - 3} more.`);
    expect(model.summary).toContain('The assessment in progress (1 Feb 2027) scores 78.4 (Adequate) so far, a provisional High residual risk.');
    // Critical failures not yet raised as findings are listed, marked as pending.
    expect(model.findings.filter((f) => f.status === 'Not raised yet (review pending)')).toHaveLength(facts.sheet!.overall.criticalFailures.length);
  });

  it('shows the change per section against the previous assessment, "new" for a section it did not have', () => {
    const model = buildVendorSummary(sampleVendorFacts({ questions: 40 }), 'en', { appendix: false });
    expect(model.sections.slice(0, 4).map((s) => [s.score, s.previous, s.changeText])).toEqual([
      [50, 40, '+10'],
      [87, 84, '+3'],
      [74, 78, '−4'],
      [61, null, 'new'],
    ]);
    expect(buildVendorSummary(sampleVendorFacts({ questions: 40, withPrevious: false }), 'en', { appendix: false }).sections[0].changeText).toBe('');
  });

  it('says why the tier is what it is, floors and overrides included', () => {
    const facts = sampleVendorFacts();
    facts.vendor.tierOverride = { tier: 'critical', reason: 'Holds our whole customer base' };
    const model = buildVendorSummary(facts, 'zh-CN', { appendix: false });
    expect(model.tier.reasons).toEqual([
      '持有的个人信息：敏感个人信息（5 分）',
      expect.stringMatching(/^记录数量：.+（2 分）$/),
      expect.stringMatching(/（2 分）$/),
      expect.stringMatching(/：是（1 分）$/),
      '持有支付卡数据，至少为高',
      '由审核人设为严重：Holds our whole customer base',
    ]);
  });

  it('marks overdue findings, and reports a vendor never assessed', () => {
    const facts = { ...sampleVendorFacts({ findings: 4 }), assessment: null, sheet: null, previous: null };
    const model = buildVendorSummary(facts, 'en', { appendix: true });
    expect(model.appendix).toBeNull();
    expect(model.summary).toContain('It has not been assessed yet, so its residual risk is unknown.');
    expect(model.findings.map((f) => f.overdue)).toEqual([true, false, false, true]);
    expect(model.residual).toEqual({ tier: 'medium', label: 'Medium' });
  });

  it('builds the appendix with answers, comments, scores and reviewer notes', () => {
    const model = buildVendorSummary(sampleVendorFacts({ questions: 12, sections: 2 }), 'en', { appendix: true });
    const first = model.appendix![0].questions[0];
    expect(first).toEqual({ key: 'q001', text: expect.stringContaining('question 1)'), answer: 'Yes', comment: 'Policy v4, approved March.', score: '100', note: 'Accepted — Checked against the policy document.' });
    expect(model.appendix![1].questions[0]).toMatchObject({ key: 'q002', answer: 'No', score: '0', comment: null, note: null });
  });

  it('sets curly quotes straight in English only (the Chinese typeface draws them full-width)', () => {
    expect(forTypeface({ a: ['It’s “fine”'], d: new Date(0) }, 'en')).toEqual({ a: ['It\'s "fine"'], d: new Date(0) });
    expect(forTypeface('It’s “fine”', 'zh-CN')).toBe('It’s “fine”');
  });
});

describe('report formats', () => {
  it('writes dates, times and scores per language', () => {
    expect(formatDate('2027-03-05', 'en')).toBe('5 Mar 2027');
    expect(formatDate('2027-03-05', 'zh-CN')).toBe('2027年3月5日');
    expect(formatDateTime(new Date('2027-03-05T23:59:00Z'), 'en')).toBe('5 Mar 2027, 23:59 UTC');
    expect(formatDateTime(new Date('2027-03-05T23:59:00Z'), 'zh-CN')).toBe('2027年3月5日 23:59 UTC');
    expect([formatScore(78.44), formatScore(78.45), formatScore(100)]).toEqual(['78.4', '78.5', '100']);
  });
});
