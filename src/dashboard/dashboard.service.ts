import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { Clock } from '../clock/clock';
import { addDays, toIsoDate } from '../common/dates';
import { ContractEntity } from '../contracts/contract.entity';
import { FindingEntity } from '../reviews/finding.entity';
import { REVIEW_DUE_WITHIN_DAYS } from '../review-cycles/review-cycle-status';
import { ReviewCycleEntity } from '../review-cycles/review-cycle.entity';
import { VendorEntity } from '../vendors/vendor.entity';
import { TIERS, type Tier } from '../vendors/vendor.enums';

/** Notice deadlines this many days ahead are shown. */
export const NOTICE_WITHIN_DAYS = 60;

export interface DashboardCounts {
  today: string;
  questionnaires: { waiting: number; overdue: number };
  submitted: { waitingForReview: number };
  reviews: { dueWithin30Days: number; overdue: number };
  contracts: { noticeWithin60Days: number };
  findings: { open: Record<'critical' | 'high' | 'medium' | 'low', number> };
  /** Current vendors by inherent tier (rows) and residual risk (columns; `none`: not assessed yet). */
  vendors: { total: number; matrix: Record<Tier, Record<Tier | 'none', number>> };
}

const num = (v: unknown) => Number(v ?? 0);

/**
 * What needs attention today, in counts, each of which a list can show: one aggregate query per
 * count, each over an index (no rows are loaded). Optionally only for the vendors one staff
 * member owns.
 */
@Injectable()
export class DashboardService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
  ) {}

  async counts(ownerId?: string): Promise<DashboardCounts> {
    const today = toIsoDate(this.clock.now());
    const owned = <T extends { andWhere: (w: string, p?: object) => T }>(qb: T, alias = 'v'): T =>
      ownerId ? qb.andWhere(`${alias}.ownerId = :ownerId`, { ownerId }) : qb;
    const ds = this.dataSource;
    const assessments = () => ds.getRepository(AssessmentEntity).createQueryBuilder('a').innerJoin('a.vendor', 'v').where('v.archivedAt IS NULL');

    const [waiting, overdue, toReview, reviewsDue, reviewsOverdue, notices, findings, vendors] = await Promise.all([
      owned(assessments().andWhere("a.status IN ('sent', 'in_progress', 'clarification_requested')")).getCount(),
      owned(assessments().andWhere("a.status IN ('sent', 'in_progress', 'clarification_requested') AND a.dueDate < :today", { today })).getCount(),
      owned(assessments().andWhere("a.status = 'submitted'")).getCount(),
      owned(
        ds
          .getRepository(ReviewCycleEntity)
          .createQueryBuilder('r')
          .innerJoin('r.vendor', 'v')
          .where("r.state = 'scheduled' AND r.dueDate >= :today AND r.dueDate <= :horizon AND v.archivedAt IS NULL", { today, horizon: addDays(today, REVIEW_DUE_WITHIN_DAYS) }),
      ).getCount(),
      owned(ds.getRepository(ReviewCycleEntity).createQueryBuilder('r').innerJoin('r.vendor', 'v').where("r.state IN ('scheduled', 'in_progress') AND r.dueDate < :today AND v.archivedAt IS NULL", { today })).getCount(),
      owned(
        ds
          .getRepository(ContractEntity)
          .createQueryBuilder('c')
          .innerJoin('c.vendor', 'v')
          .where("c.state = 'active' AND c.noticeDeadline >= :today AND c.noticeDeadline <= :by AND v.archivedAt IS NULL", { today, by: addDays(today, NOTICE_WITHIN_DAYS) }),
      ).getCount(),
      owned(
        ds
          .getRepository(FindingEntity)
          .createQueryBuilder('f')
          .innerJoin('f.vendor', 'v')
          .select('f.severity', 'severity')
          .addSelect('COUNT(*)', 'n')
          .where("f.status = 'open' AND v.archivedAt IS NULL")
          .groupBy('f.severity'),
      ).getRawMany<{ severity: string; n: unknown }>(),
      owned(
        ds
          .getRepository(VendorEntity)
          .createQueryBuilder('v')
          .select('v.tier', 'tier')
          .addSelect('v.residualRisk', 'risk')
          .addSelect('COUNT(*)', 'n')
          .where('v.archivedAt IS NULL')
          .groupBy('v.tier')
          .addGroupBy('v.residualRisk'),
      ).getRawMany<{ tier: Tier; risk: Tier | null; n: unknown }>(),
    ]);

    const open = { critical: 0, high: 0, medium: 0, low: 0 };
    for (const f of findings) if (f.severity in open) open[f.severity as keyof typeof open] = num(f.n);
    const matrix = Object.fromEntries(TIERS.map((t) => [t, Object.fromEntries([...TIERS, 'none'].map((r) => [r, 0]))])) as DashboardCounts['vendors']['matrix'];
    let total = 0;
    for (const v of vendors) {
      matrix[v.tier][v.risk ?? 'none'] += num(v.n);
      total += num(v.n);
    }
    return {
      today,
      questionnaires: { waiting, overdue },
      submitted: { waitingForReview: toReview },
      reviews: { dueWithin30Days: reviewsDue, overdue: reviewsOverdue },
      contracts: { noticeWithin60Days: notices },
      findings: { open },
      vendors: { total, matrix },
    };
  }
}
