import type { PortfolioFacts } from '../../src/reports/portfolio-report.model';
import { TIERS } from '../../src/vendors/vendor.enums';

/** Portfolio facts for `vendors` active vendors, shaped like the reports service's reading. */
export function samplePortfolioFacts(vendors = 1000, options: { chinese?: boolean; generatedAt?: Date; rows?: number } = {}): PortfolioFacts {
  const name = (i: number) => (options.chinese ? `云途物流有限公司 ${i}` : `Vendor ${i} Logistics Ltd`);
  const rows = options.rows ?? 50;
  const heat = Object.fromEntries(TIERS.map((t) => [t, { low: 0, medium: 0, high: 0, critical: 0, none: 0 }])) as PortfolioFacts['heat'];
  for (let i = 0; i < vendors; i++) {
    const tier = TIERS[i % 4];
    const risk = i % 7 === 0 ? 'none' : TIERS[(i * 3) % 4];
    heat[tier][risk]++;
  }
  const n = Math.min(rows, vendors);
  return {
    generatedAt: options.generatedAt ?? new Date('2027-03-01T09:30:00Z'),
    heat,
    overdue: { total: Math.floor(vendors / 10), rows: Array.from({ length: Math.min(n, Math.floor(vendors / 10)) }, (_, i) => ({ vendor: name(i), tier: TIERS[i % 4], owner: 'Grace Hopper', due: '2027-01-15' })) },
    upcoming: {
      total: Math.floor(vendors / 5),
      rows: Array.from({ length: Math.min(60, Math.floor(vendors / 5)) }, (_, i) => ({
        date: '2027-04-10',
        kind: ['reassessment', 'contract_renewal', 'risk_acceptance'][i % 3],
        vendor: name(i),
        subject: i % 3 === 1 ? 'Master services agreement' : i % 3 === 2 ? 'Access reviews are incomplete' : null,
      })),
    },
    findings: {
      total: vendors * 2,
      rows: Array.from({ length: Math.min(25, vendors) }, (_, i) => ({
        vendor: name(i),
        title: options.chinese ? '未对远程访问启用多因素认证' : 'Multi-factor authentication is not enforced for remote access',
        severity: (['critical', 'high', 'medium', 'low'] as const)[Math.floor(i / 7) % 4],
        status: i % 2 ? 'in_remediation' : 'open',
        owner: 'Ada Lovelace',
        due: '2027-02-01',
      })),
    },
    clauseGaps: { total: Math.floor(vendors / 3), rows: Array.from({ length: Math.min(n, Math.floor(vendors / 3)) }, (_, i) => ({ vendor: name(i), tier: TIERS[i % 4], required: 14, missing: 5 - (i % 5), partial: i % 3, paramGaps: i % 2 })) },
  };
}
