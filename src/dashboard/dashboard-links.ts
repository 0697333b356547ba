/** The list page behind each dashboard count (pure). */
import { TIERS, type Tier } from '../vendors/vendor.enums';
import { NOTICE_WITHIN_DAYS } from './dashboard.service';

export interface DashboardLinks {
  questionnairesWaiting: string;
  questionnairesOverdue: string;
  waitingForReview: string;
  reviewsDue: string;
  reviewsOverdue: string;
  notices: string;
  findings: Record<'critical' | 'high' | 'medium' | 'low', string>;
  vendors: Record<Tier, Record<Tier | 'none', string>>;
}

export function dashboardLinks(ownerId?: string): DashboardLinks {
  const q = (path: string, params: Record<string, string>) => `${path}?${new URLSearchParams(params).toString()}`;
  const mine: Record<string, string> = ownerId ? { ownerId } : {};
  return {
    questionnairesWaiting: q('/assessments', { queue: 'waiting' }),
    questionnairesOverdue: q('/assessments', { queue: 'overdue' }),
    waitingForReview: q('/assessments', { status: 'submitted' }),
    reviewsDue: q('/reviews', { status: 'due', ...mine }),
    reviewsOverdue: q('/reviews', { status: 'overdue', ...mine }),
    notices: q('/contracts', { noticeWithinDays: String(NOTICE_WITHIN_DAYS) }),
    findings: Object.fromEntries((['critical', 'high', 'medium', 'low'] as const).map((s) => [s, q('/findings', { status: 'open', severity: s })])) as DashboardLinks['findings'],
    vendors: Object.fromEntries(
      TIERS.map((tier) => [tier, Object.fromEntries([...TIERS, 'none'].map((risk) => [risk, q('/vendors', { tier, residualRisk: risk, ...mine })]))]),
    ) as DashboardLinks['vendors'],
  };
}
