import {
  computeInherentTier,
  DataProfile,
  personalDataLevel,
  reviewIntervalMonths,
  tierForScore,
} from './inherent-risk-tier';

const profile = (p: Partial<DataProfile>): DataProfile => ({
  dataCategories: [],
  volumeBand: 'under_1k',
  accessLevel: 'none',
  criticality: 'low',
  crossBorder: false,
  ...p,
});

describe('computeInherentTier: the worked examples of domain.md §2', () => {
  it.each<[string, Partial<DataProfile>, number, string]>([
    [
      'cloud host of our CRM',
      { dataCategories: ['identity', 'contact', 'transaction'], volumeBand: '1k_100k', accessLevel: 'network_admin', criticality: 'high' },
      10,
      'critical',
    ],
    [
      'email marketing service',
      { dataCategories: ['contact'], volumeBand: '100k_1m', accessLevel: 'api', criticality: 'moderate' },
      7,
      'high',
    ],
    [
      'payment processor',
      { dataCategories: ['identity', 'payment_card'], volumeBand: '100k_1m', accessLevel: 'api', criticality: 'high' },
      12,
      'critical',
    ],
    [
      'courier',
      { dataCategories: ['contact'], volumeBand: '1k_100k', accessLevel: 'file_exchange', criticality: 'moderate' },
      5,
      'medium',
    ],
    ['office cleaner', {}, 0, 'low'],
  ])('%s scores %i, %s', (_name, p, score, tier) => {
    const result = computeInherentTier(profile(p));
    expect(result.score).toBe(score);
    expect(result.tier).toBe(tier);
    expect(result.breakdown.reduce((s, l) => s + l.points, 0)).toBe(score);
  });
});

describe('tier boundaries', () => {
  it.each([
    [0, 'low'],
    [3, 'low'],
    [4, 'medium'],
    [6, 'medium'],
    [7, 'high'],
    [9, 'high'],
    [10, 'critical'],
    [15, 'critical'],
  ])('%i points is %s', (score, tier) => {
    expect(tierForScore(score)).toBe(tier);
  });
});

describe('personal data level', () => {
  it.each<[DataProfile['dataCategories'], string]>([
    [[], 'none'],
    [['identity'], 'basic'],
    [['identity', 'contact'], 'basic'],
    [['contact', 'behavioural'], 'transactional'],
    [['transaction'], 'transactional'],
    [['contact', 'health'], 'sensitive'],
    [['minors'], 'sensitive'],
    [['government_id'], 'sensitive'],
    [['precise_location'], 'sensitive'],
    [['biometric'], 'sensitive'],
    [['financial_account'], 'sensitive'],
  ])('%j is %s', (cats, level) => {
    expect(personalDataLevel(cats)).toBe(level);
  });
});

describe('floors and extras', () => {
  it('adds one point when personal information leaves the country', () => {
    const without = computeInherentTier(profile({ dataCategories: ['contact'], volumeBand: '1k_100k', accessLevel: 'file_exchange' }));
    const withTransfer = computeInherentTier(
      profile({ dataCategories: ['contact'], volumeBand: '1k_100k', accessLevel: 'file_exchange', crossBorder: true }),
    );
    expect(withTransfer.score).toBe(without.score + 1);
    expect(withTransfer.breakdown.find((l) => l.factor === 'crossBorder')?.points).toBe(1);
  });

  it('makes payment card data at least high, and says why', () => {
    const r = computeInherentTier(profile({ dataCategories: ['payment_card'] }));
    expect(r.score).toBe(5);
    expect(r.pointsTier).toBe('medium');
    expect(r.tier).toBe('high');
    expect(r.floors).toEqual([{ rule: 'payment_card_min_high', tier: 'high' }]);
  });

  it('does not lower a critical payment vendor', () => {
    const r = computeInherentTier(
      profile({ dataCategories: ['payment_card'], volumeBand: 'over_1m', accessLevel: 'api', criticality: 'high' }),
    );
    expect(r.tier).toBe('critical');
    expect(r.floors).toEqual([]);
  });
});

describe('review cadence', () => {
  it('follows the tier defaults', () => {
    expect(reviewIntervalMonths('critical', [])).toBe(12);
    expect(reviewIntervalMonths('high', [])).toBe(12);
    expect(reviewIntervalMonths('medium', [])).toBe(24);
    expect(reviewIntervalMonths('low', [])).toBe(36);
  });

  it('reviews payment-card vendors at least every 12 months, whatever the cadence', () => {
    const cadence = { months: { critical: 18, high: 24, medium: 24, low: 36 } };
    expect(reviewIntervalMonths('low', ['payment_card'], cadence)).toBe(12);
    expect(reviewIntervalMonths('critical', ['payment_card'], cadence)).toBe(12);
    expect(reviewIntervalMonths('critical', ['contact'], cadence)).toBe(18);
  });
});
