import { parseCondition } from '../questionnaires/conditions/condition';
import { AnswerInput, controlBand, residualRisk, scoreAssessment, ScoringSection } from './scoring';

/**
 * Worked by hand. Section "access" (W = 2):
 *   mfa        yes/no, weight 3, critical, evidence required
 *   sso        yes/no/na, weight 1
 *   reviews    single choice (quarterly 1, yearly 0.5, never 0), weight 2
 *   vpn_mfa    yes/no, shown only when remote == 'yes'
 * Section "backup" (W = 1):
 *   backup     yes/no, weight 1
 *   restore    multi choice (full 0.6, partial 0.3, docs 0.2), capped at 1, weight 2
 *   notes      text, weight 1 (scored only by a reviewer)
 */
const sections: ScoringSection[] = [
  {
    key: 'access',
    weight: 2,
    questions: [
      { key: 'remote', type: 'yes_no', weight: 0, required: false },
      { key: 'mfa', type: 'yes_no', weight: 3, critical: true, evidence: 'required' },
      { key: 'sso', type: 'yes_no_na', weight: 1 },
      { key: 'reviews', type: 'single_choice', weight: 2, options: [{ key: 'quarterly', score: 1 }, { key: 'yearly', score: 0.5 }, { key: 'never', score: 0 }] },
      { key: 'vpn_mfa', type: 'yes_no', weight: 1, condition: parseCondition("remote == 'yes'") },
    ],
  },
  {
    key: 'backup',
    weight: 1,
    questions: [
      { key: 'backup', type: 'yes_no', weight: 1 },
      { key: 'restore', type: 'multi_choice', weight: 2, options: [{ key: 'full', score: 0.6 }, { key: 'partial', score: 0.3 }, { key: 'docs', score: 0.2 }] },
      { key: 'notes', type: 'text', weight: 1 },
    ],
  },
];

const base: Record<string, AnswerInput> = {
  remote: { value: 'no' },
  mfa: { value: 'yes', evidenceCount: 1, review: { evidence: 'accepted' } },
  sso: { value: 'yes' },
  reviews: { value: 'yearly' },
  backup: { value: 'yes' },
  restore: { value: ['full', 'docs'] },
  notes: { value: 'We restore monthly.' },
};
const q = (r: ReturnType<typeof scoreAssessment>, key: string) => r.questions.find((x) => x.key === key)!;

describe('scoreAssessment: worked examples', () => {
  it('scores the base case by hand', () => {
    const r = scoreAssessment(sections, base);
    // remote: weight 0 -> counts for nothing. access: (3*1 + 1*1 + 2*0.5) / (3+1+2) = 5/6 = 83.33
    expect(r.sections[0]).toMatchObject({ key: 'access', score: 83.33, applicableCount: 4, weightSum: 6 });
    // backup: (1*1 + 2*0.8) / 3 = 2.6/3 = 86.67; notes awaits a reviewer score and is left out
    expect(r.sections[1]).toMatchObject({ key: 'backup', score: 86.67, applicableCount: 2, weightSum: 3 });
    expect(q(r, 'notes')).toMatchObject({ applicable: false, rule: 'awaiting_reviewer_score' });
    // overall: (2*5 + 1*2.6) / (2*6 + 1*3) = 12.6/15 = 84
    expect(r.overall).toBe(84);
    expect(r.band).toBe('adequate');
    expect(r.criticalFailures).toEqual([]);
  });

  it('leaves an N/A answer out of numerator and denominator', () => {
    const r = scoreAssessment(sections, { ...base, sso: { value: 'na' } });
    expect(q(r, 'sso')).toMatchObject({ applicable: false, rule: 'not_applicable' });
    // access: (3 + 1) / (3 + 2) = 80
    expect(r.sections[0].score).toBe(80);
  });

  it('refuses N/A where the question does not allow it', () => {
    const r = scoreAssessment(sections, { ...base, backup: { value: 'na' } });
    expect(q(r, 'backup')).toMatchObject({ applicable: true, score: 0, rule: 'na_not_allowed' });
  });

  it('takes a hidden branch out, and counts it once its condition holds', () => {
    const hidden = scoreAssessment(sections, { ...base, vpn_mfa: { value: 'no' } });
    expect(q(hidden, 'vpn_mfa')).toMatchObject({ applicable: false, rule: 'hidden' });
    expect(hidden.sections[0].score).toBe(83.33);
    const shown = scoreAssessment(sections, { ...base, remote: { value: 'yes' }, vpn_mfa: { value: 'no' } });
    // access: 5 / 7 = 71.43
    expect(q(shown, 'vpn_mfa')).toMatchObject({ applicable: true, score: 0, rule: 'differs_from_expected' });
    expect(shown.sections[0].score).toBe(71.43);
  });

  it('applies the evidence rule: half until accepted, not a failure, full once accepted, zero if rejected', () => {
    const missing = scoreAssessment(sections, { ...base, mfa: { value: 'yes', evidenceCount: 0 } });
    expect(q(missing, 'mfa')).toMatchObject({ answerScore: 1, autoScore: 0.5, score: 0.5, evidenceRule: 'missing_evidence_half', unverified: true, criticalFailure: false });
    // access: (3*0.5 + 1 + 1) / 6 = 58.33
    expect(missing.sections[0].score).toBe(58.33);
    expect(missing.unverified).toEqual(['mfa']);
    expect(missing.criticalFailures).toEqual([]);

    const pending = scoreAssessment(sections, { ...base, mfa: { value: 'yes', evidenceCount: 2 } });
    expect(q(pending, 'mfa')).toMatchObject({ score: 0.5, evidenceRule: 'evidence_pending_review', unverified: true });

    const rejected = scoreAssessment(sections, { ...base, mfa: { value: 'yes', evidenceCount: 1, review: { evidence: 'rejected' } } });
    expect(q(rejected, 'mfa')).toMatchObject({ score: 0, evidenceRule: 'evidence_rejected', unverified: false, criticalFailure: true });
  });

  it('makes an unfavourable answer to a critical question a critical failure that raises the residual risk', () => {
    const r = scoreAssessment(sections, { ...base, mfa: { value: 'no' } });
    expect(q(r, 'mfa')).toMatchObject({ score: 0, criticalFailure: true, evidenceRule: 'none' });
    // access: (0 + 1 + 1) / 6 = 33.33; overall (2*2 + 2.6) / 15 = 44
    expect(r.overall).toBe(44);
    expect(r.band).toBe('poor');
    expect(r.criticalFailures).toEqual(['mfa']);
    // Even a low-tier vendor with a critical failure is at least high.
    expect(residualRisk('low', 'poor', 1)).toEqual({ risk: 'high', fromMatrix: 'medium', raisedByCriticalFailure: true });
  });

  it('scores an unanswered required question 0 and leaves an unanswered optional one out', () => {
    const r = scoreAssessment(sections, { ...base, backup: { value: '' }, remote: { value: null } });
    expect(q(r, 'backup')).toMatchObject({ applicable: true, score: 0, rule: 'unanswered_required' });
    expect(q(r, 'remote')).toMatchObject({ applicable: false, rule: 'unanswered_optional' });
  });

  it('uses a reviewer override and keeps the automatic score beside it', () => {
    const r = scoreAssessment(sections, { ...base, reviews: { value: 'yearly', review: { overrideScore: 1 } }, notes: { value: 'x', review: { overrideScore: 0.5 } } });
    expect(q(r, 'reviews')).toMatchObject({ autoScore: 0.5, reviewedScore: 1, score: 1 });
    expect(q(r, 'notes')).toMatchObject({ applicable: true, rule: 'reviewer_score', score: 0.5 });
    // access: (3 + 1 + 2) / 6 = 100; backup: (1 + 1.6 + 0.5) / 4 = 77.5; overall (12 + 3.1) / 16 = 94.38
    expect(r.sections.map((s) => s.score)).toEqual([100, 77.5]);
    expect(r.overall).toBe(94.38);
  });

  it('clears a critical failure when a reviewer overrides it to 1', () => {
    const r = scoreAssessment(sections, { ...base, mfa: { value: 'no', review: { overrideScore: 1 } } });
    expect(q(r, 'mfa')).toMatchObject({ autoScore: 0, score: 1, criticalFailure: false });
  });

  it('caps multi-choice sums at 1 and scores an unknown option 0', () => {
    const r = scoreAssessment(sections, { ...base, restore: { value: ['full', 'partial', 'docs'] } });
    expect(q(r, 'restore')).toMatchObject({ score: 1, rule: 'options_sum_capped' });
    const bad = scoreAssessment(sections, { ...base, reviews: { value: 'weekly' } });
    expect(q(bad, 'reviews')).toMatchObject({ score: 0, rule: 'unknown_option' });
  });

  it('leaves a score undefined when nothing applies, never 0 or 100', () => {
    const r = scoreAssessment([{ key: 's', questions: [{ key: 'x', type: 'yes_no_na' }, { key: 't', type: 'text' }] }], { x: { value: 'na' }, t: { value: 'free text' } });
    expect(r.sections[0].score).toBeNull();
    expect(r.overall).toBeNull();
    expect(r.band).toBeNull();
    expect(residualRisk('high', r.band, 0)).toEqual({ risk: null, fromMatrix: null, raisedByCriticalFailure: false });
  });
});

describe('control band and residual risk', () => {
  it.each([
    [100, 'strong'],
    [85, 'strong'],
    [84.99, 'adequate'],
    [70, 'adequate'],
    [69.99, 'weak'],
    [50, 'weak'],
    [49.99, 'poor'],
    [0, 'poor'],
  ])('%d is %s', (score, band) => {
    expect(controlBand(score)).toBe(band);
  });

  it.each([
    ['critical', 'strong', 'medium'],
    ['critical', 'adequate', 'high'],
    ['critical', 'weak', 'critical'],
    ['critical', 'poor', 'critical'],
    ['high', 'strong', 'low'],
    ['high', 'adequate', 'medium'],
    ['high', 'weak', 'high'],
    ['high', 'poor', 'critical'],
    ['medium', 'strong', 'low'],
    ['medium', 'adequate', 'low'],
    ['medium', 'weak', 'medium'],
    ['medium', 'poor', 'high'],
    ['low', 'strong', 'low'],
    ['low', 'adequate', 'low'],
    ['low', 'weak', 'low'],
    ['low', 'poor', 'medium'],
  ] as const)('%s tier with %s controls is %s', (tier, band, risk) => {
    expect(residualRisk(tier, band, 0).risk).toBe(risk);
    const withFailure = residualRisk(tier, band, 2).risk!;
    expect(['high', 'critical']).toContain(withFailure);
  });
});
