import { ContractStatus, ContractTerms, contractStatus, currentTermEnd, daysBetween, noticeDeadline, TermProblem, termProblems } from './contract-terms';

/** An active contract without an end date unless told otherwise. */
const terms = (over: Partial<ContractTerms> = {}): ContractTerms => ({
  state: 'active',
  effectiveDate: '2025-01-01',
  expiryDate: null,
  autoRenewal: false,
  renewalMonths: null,
  noticeDays: null,
  ...over,
});

/** Ends on 2025-12-31, renews for 12 months, notice 90 days before the end of a term. */
const yearly = (over: Partial<ContractTerms> = {}) => terms({ expiryDate: '2025-12-31', autoRenewal: true, renewalMonths: 12, noticeDays: 90, ...over });

describe('daysBetween', () => {
  it.each([
    ['2025-01-01', '2025-01-01', 0],
    ['2025-01-31', '2025-03-15', 43],
    ['2025-03-15', '2025-01-31', -43],
    ['2024-02-28', '2024-03-01', 2],
    ['2025-01-01', '2025-12-31', 364],
  ])('%s → %s is %i days', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });
});

describe('currentTermEnd', () => {
  it('is null without an expiry date, renewing or not', () => {
    expect(currentTermEnd(terms(), '2025-06-01')).toBeNull();
    expect(currentTermEnd(terms({ autoRenewal: true, renewalMonths: 12 }), '2025-06-01')).toBeNull();
  });

  it.each([
    ['before it', '2025-03-01'],
    ['on it', '2025-06-30'],
    ['long after it', '2027-01-15'],
  ])('is the expiry date of a contract that does not renew, %s', (_when, today) => {
    expect(currentTermEnd(terms({ expiryDate: '2025-06-30' }), today)).toBe('2025-06-30');
  });

  it('is the expiry date of a renewing contract still in its first term (and on its last day)', () => {
    expect(currentTermEnd(yearly(), '2025-03-01')).toBe('2025-12-31');
    expect(currentTermEnd(yearly(), '2025-12-31')).toBe('2025-12-31');
  });

  it('is the expiry date when renewal is set but renewalMonths is missing', () => {
    expect(currentTermEnd(terms({ expiryDate: '2025-06-30', autoRenewal: true }), '2026-01-01')).toBe('2025-06-30');
  });

  it.each([
    // Monthly from a month end: counted from the first expiry, so March ends on the 31st, not the 28th.
    ['2025-01-31', 1, '2025-02-01', '2025-02-28'],
    ['2025-01-31', 1, '2025-02-28', '2025-02-28'],
    ['2025-01-31', 1, '2025-03-01', '2025-03-31'],
    ['2025-01-31', 1, '2025-03-15', '2025-03-31'],
    ['2025-01-31', 1, '2025-04-30', '2025-04-30'],
    ['2025-01-31', 1, '2025-05-01', '2025-05-31'],
    // Ten years late, still no drift.
    ['2015-01-31', 1, '2025-03-15', '2025-03-31'],
    // Quarterly from 30 November: each term starts on the 1st, so it ends on a month's last day:
    // 2025-02-28, 2025-05-31, 2025-08-31 (they drifted to the 30th before).
    ['2024-11-30', 3, '2025-03-01', '2025-05-31'],
    ['2024-11-30', 3, '2025-06-01', '2025-08-31'],
    // The walk-through's cases: a term ending on a month's last day renews to a month's last day.
    ['2026-06-30', 6, '2026-07-01', '2026-12-31'],
    ['2026-02-28', 10, '2026-03-01', '2026-12-31'],
    ['2026-06-30', 6, '2027-01-01', '2027-06-30'],
    // Mid-month ends stay mid-month: the term after 2026-03-14 runs 2026-03-15 to 2026-09-14.
    ['2026-03-14', 6, '2026-04-01', '2026-09-14'],
    // Yearly from a leap day: 2021..2023-02-28, 2024-02-29, 2025-02-28, 2026-02-28.
    ['2020-02-29', 12, '2021-01-01', '2021-02-28'],
    ['2020-02-29', 12, '2024-02-28', '2024-02-29'],
    ['2020-02-29', 12, '2024-02-29', '2024-02-29'],
    ['2020-02-29', 12, '2024-03-01', '2025-02-28'],
    ['2020-02-29', 12, '2025-06-01', '2026-02-28'],
    // Yearly, several years late, today on an end date and the day after.
    ['2019-06-30', 12, '2025-06-30', '2025-06-30'],
    ['2019-06-30', 12, '2025-07-01', '2026-06-30'],
    // Two-year renewals.
    ['2020-03-31', 24, '2025-01-10', '2026-03-31'],
  ])('rolls %s forward by %i months: on %s the term ends %s', (expiryDate, renewalMonths, today, expected) => {
    expect(currentTermEnd(terms({ effectiveDate: '2010-01-01', expiryDate, autoRenewal: true, renewalMonths }), today)).toBe(expected);
  });
});

describe('noticeDeadline', () => {
  it('is null without an end date or without a notice period', () => {
    expect(noticeDeadline(terms({ noticeDays: 30 }), '2025-06-01')).toBeNull();
    expect(noticeDeadline(yearly({ noticeDays: null }), '2025-06-01')).toBeNull();
    expect(noticeDeadline(terms({ expiryDate: '2025-12-31' }), '2025-06-01')).toBeNull();
  });

  it('follows the renewed term: 2026-06-30 renewed by 6 months ends 2026-12-31, notice 90 days before is 2026-10-02', () => {
    expect(noticeDeadline(terms({ expiryDate: '2026-06-30', autoRenewal: true, renewalMonths: 6, noticeDays: 90 }), '2026-07-15')).toBe('2026-10-02');
  });

  it.each<[string, ContractTerms, string, string]>([
    ['90 days before the first expiry', yearly(), '2025-06-01', '2025-10-02'],
    ['the end itself with a notice period of 0', yearly({ noticeDays: 0 }), '2025-06-01', '2025-12-31'],
    ['counted from the current renewal term', yearly(), '2026-01-01', '2026-10-02'],
    ['counted from a rolled monthly term', terms({ expiryDate: '2025-01-31', autoRenewal: true, renewalMonths: 1, noticeDays: 10 }), '2025-03-15', '2025-03-21'],
    ['before the expiry of a contract that does not renew, even once past', terms({ expiryDate: '2025-06-30', noticeDays: 30 }), '2025-09-01', '2025-05-31'],
    ['across a leap day', terms({ expiryDate: '2024-03-10', noticeDays: 10 }), '2024-01-01', '2024-02-29'],
  ])('is %s', (_name, t, today, expected) => {
    expect(noticeDeadline(t, today)).toBe(expected);
  });
});

describe('contractStatus', () => {
  it.each<[ContractTerms['state'], ContractStatus]>([
    ['draft', 'draft'],
    ['terminated', 'terminated'],
  ])('passes %s through whatever the dates', (state, expected) => {
    expect(contractStatus(terms({ state, expiryDate: '2020-01-01' }), '2025-06-01')).toBe(expected);
    expect(contractStatus(terms({ state, expiryDate: '2025-06-10' }), '2025-06-01')).toBe(expected);
    expect(contractStatus(terms({ state }), '2025-06-01')).toBe(expected);
  });

  it('is active without an end date', () => {
    expect(contractStatus(terms(), '2040-01-01')).toBe('active');
  });

  // Non-renewing, ends 2025-06-30: 2025-05-01 is 60 days before, 2025-04-30 is 61.
  it.each([
    ['2025-01-01', 'active'],
    ['2025-04-30', 'active'],
    ['2025-05-01', 'expiring'],
    ['2025-06-15', 'expiring'],
    ['2025-06-30', 'expiring'],
    ['2025-07-01', 'expired'],
    ['2030-01-01', 'expired'],
  ])('a contract ending 2025-06-30 that does not renew is, on %s, %s', (today, expected) => {
    expect(contractStatus(terms({ expiryDate: '2025-06-30', noticeDays: 30 }), today)).toBe(expected);
  });

  // Renewing yearly, notice deadline 2025-10-02: 2025-08-03 is 60 days before it, 2025-08-02 is 61.
  it.each([
    ['2025-06-01', 'active'],
    ['2025-08-02', 'active'],
    ['2025-08-03', 'expiring'],
    ['2025-10-02', 'expiring'],
    ['2025-10-03', 'active'],
    ['2025-12-31', 'active'],
    ['2026-01-01', 'active'],
    ['2026-08-02', 'active'],
    ['2026-08-03', 'expiring'],
    ['2026-10-03', 'active'],
    ['2031-09-01', 'expiring'],
  ])('a contract renewing each year with 90 days notice is, on %s, %s', (today, expected) => {
    expect(contractStatus(yearly(), today)).toBe(expected);
  });

  it('never expires when it renews by itself', () => {
    expect(contractStatus(yearly(), '2045-12-31')).not.toBe('expired');
  });

  it.each([
    ['2025-05-30', 'active'],
    ['2025-05-31', 'expiring'],
    ['2025-07-01', 'expired'],
  ])('with a 30-day window, a contract ending 2025-06-30 is, on %s, %s', (today, expected) => {
    expect(contractStatus(terms({ expiryDate: '2025-06-30' }), today, 30)).toBe(expected);
  });

  it('uses a custom window against the notice deadline of a renewing contract', () => {
    // Deadline 2025-10-02: 2025-09-02 is 30 days before, 2025-09-01 is 31.
    expect(contractStatus(yearly(), '2025-09-01', 30)).toBe('active');
    expect(contractStatus(yearly(), '2025-09-02', 30)).toBe('expiring');
  });
});

describe('termProblems', () => {
  const problem = (path: string, rule: string, message: string): TermProblem => ({ path, rule, message });

  it.each<[string, ContractTerms]>([
    ['an open-ended contract', terms()],
    ['a fixed term', terms({ expiryDate: '2025-12-31' })],
    ['a fixed term with notice', terms({ expiryDate: '2025-12-31', noticeDays: 30 })],
    ['a renewing contract', yearly()],
    ['a one-day contract', terms({ expiryDate: '2025-01-01' })],
    ['notice exactly as long as the contract', terms({ expiryDate: '2025-01-31', noticeDays: 30 })],
    ['notice exactly as long as a yearly renewal (365 days)', terms({ effectiveDate: '2020-01-01', expiryDate: '2025-12-31', autoRenewal: true, renewalMonths: 12, noticeDays: 365 })],
  ])('accepts %s', (_name, t) => {
    expect(termProblems(t)).toEqual([]);
  });

  it.each<[string, ContractTerms, TermProblem[]]>([
    [
      'an expiry before the effective date',
      terms({ effectiveDate: '2025-06-01', expiryDate: '2025-05-31' }),
      [problem('expiryDate', 'minDate', 'must not be before the effective date')],
    ],
    [
      'automatic renewal without an expiry date',
      terms({ autoRenewal: true, renewalMonths: 12 }),
      [problem('autoRenewal', 'requires', 'needs an expiry date: the first term must end to renew')],
    ],
    [
      'automatic renewal without a renewal length',
      terms({ expiryDate: '2025-12-31', autoRenewal: true }),
      [problem('renewalMonths', 'required', 'is required when the contract renews automatically')],
    ],
    [
      'automatic renewal with neither an expiry date nor a length',
      terms({ autoRenewal: true }),
      [
        problem('autoRenewal', 'requires', 'needs an expiry date: the first term must end to renew'),
        problem('renewalMonths', 'required', 'is required when the contract renews automatically'),
      ],
    ],
    [
      'a renewal length on a contract that does not renew',
      terms({ expiryDate: '2025-12-31', renewalMonths: 12 }),
      [problem('renewalMonths', 'forbidden', 'applies only to a contract that renews automatically')],
    ],
    ['a notice period without an expiry date', terms({ noticeDays: 30 }), [problem('noticeDays', 'requires', 'needs an expiry date to count back from')]],
    [
      'a notice period longer than the contract',
      terms({ expiryDate: '2025-01-31', noticeDays: 31 }),
      [problem('noticeDays', 'max', 'is longer than the contract term')],
    ],
    [
      'a notice period longer than a one-day contract',
      terms({ expiryDate: '2025-01-02', noticeDays: 2 }),
      [problem('noticeDays', 'max', 'is longer than the contract term')],
    ],
    [
      'a notice period longer than the first term of a renewing contract',
      yearly({ effectiveDate: '2025-10-01', noticeDays: 100 }),
      [problem('noticeDays', 'max', 'is longer than the contract term')],
    ],
    [
      'a notice period longer than a monthly renewal (31 days)',
      terms({ effectiveDate: '2024-01-01', expiryDate: '2025-07-31', autoRenewal: true, renewalMonths: 1, noticeDays: 32 }),
      [problem('noticeDays', 'max', 'is longer than a renewal term')],
    ],
    [
      'a notice period longer than a yearly renewal (365 days)',
      terms({ effectiveDate: '2020-01-01', expiryDate: '2025-12-31', autoRenewal: true, renewalMonths: 12, noticeDays: 366 }),
      [problem('noticeDays', 'max', 'is longer than a renewal term')],
    ],
  ])('refuses %s', (_name, t, expected) => {
    expect(termProblems(t)).toEqual(expected);
  });

  // Renewal terms counted from 2024-12-31 end on 2025-01-31 (31 days), 2025-02-28 (28 days), ...
  // 30 days of notice fit the first renewal term but not the February one: its deadline,
  // 2025-01-29, falls before that term begins, so notice for it can never be given in it.
  it('refuses a notice period longer than a later, shorter renewal term', () => {
    const t = terms({ effectiveDate: '2024-01-01', expiryDate: '2024-12-31', autoRenewal: true, renewalMonths: 1, noticeDays: 30 });
    expect(termProblems(t)).toEqual([problem('noticeDays', 'max', 'is longer than a renewal term')]);
  });
});
