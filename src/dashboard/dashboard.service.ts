import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../clock/clock';
import { addDays, toIsoDate } from '../common/dates';
import { AppConfig } from '../config/app-config';
import { REVIEW_DUE_WITHIN_DAYS } from '../review-cycles/review-cycle-status';
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
 * count, each over an index range (no rows are loaded), kept for a minute. Optionally only for
 * the vendors one staff member owns.
 */
@Injectable()
export class DashboardService {
  /** Computed counts by owner filter, kept `DASHBOARD_CACHE_SECONDS`: a dashboard need not be exact to the second. */
  private readonly cache = new Map<string, { at: number; value: DashboardCounts }>();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async counts(ownerId?: string): Promise<DashboardCounts> {
    const key = ownerId ?? '*';
    const ttl = this.config.DASHBOARD_CACHE_SECONDS * 1000;
    const hit = this.cache.get(key);
    const nowMs = this.clock.now().getTime();
    if (hit && nowMs - hit.at < ttl) return hit.value;
    const value = await this.compute(ownerId);
    if (ttl > 0) this.cache.set(key, { at: nowMs, value });
    return value;
  }

  private async compute(ownerId?: string): Promise<DashboardCounts> {
    const today = toIsoDate(this.clock.now());
    const ds = this.dataSource;
    /**
     * Only current vendors count. For everyone: "no archived vendor" as NOT EXISTS, probed by
     * primary key from the index range of each count (archived vendors are few; a join made the
     * optimizer walk every vendor). For one owner: a join from that owner's vendors.
     */
    const current = (alias: string) =>
      ownerId
        ? { join: `JOIN vendors v ON v.id = ${alias}.vendor_id AND v.owner_id = ? AND v.archived_at IS NULL`, where: '', params: [ownerId] }
        : { join: '', where: ` AND NOT EXISTS (SELECT 1 FROM vendors v WHERE v.id = ${alias}.vendor_id AND v.archived_at IS NOT NULL)`, params: [] as string[] };
    const count = async (table: string, alias: string, where: string, params: unknown[]): Promise<number> => {
      const c = current(alias);
      const [row] = await ds.query(`SELECT COUNT(*) AS n FROM ${table} ${alias} ${c.join} WHERE ${where}${c.where}`, [...c.params, ...params]);
      return num(row?.n);
    };
    const waitingSql = "a.status IN ('sent', 'in_progress', 'clarification_requested')";
    const f = current('f');
    const [waiting, overdue, toReview, reviewsDue, reviewsOverdue, notices, findings, vendors] = await Promise.all([
      count('assessments', 'a', waitingSql, []),
      count('assessments', 'a', `${waitingSql} AND a.due_date < ?`, [today]),
      count('assessments', 'a', "a.status = 'submitted'", []),
      count('review_cycles', 'r', "r.state = 'scheduled' AND r.due_date >= ? AND r.due_date <= ?", [today, addDays(today, REVIEW_DUE_WITHIN_DAYS)]),
      count('review_cycles', 'r', "r.state IN ('scheduled', 'in_progress') AND r.due_date < ?", [today]),
      count('contracts', 'c', "c.state = 'active' AND c.notice_deadline >= ? AND c.notice_deadline <= ?", [today, addDays(today, NOTICE_WITHIN_DAYS)]),
      ds.query(`SELECT f.severity AS severity, COUNT(*) AS n FROM findings f ${f.join} WHERE f.status = 'open'${f.where} GROUP BY f.severity`, f.params) as Promise<Array<{ severity: string; n: unknown }>>,
      ds.query(
        `SELECT v.tier AS tier, v.residual_risk AS risk, COUNT(*) AS n FROM vendors v WHERE v.archived_at IS NULL${ownerId ? ' AND v.owner_id = ?' : ''} GROUP BY v.tier, v.residual_risk`,
        ownerId ? [ownerId] : [],
      ) as Promise<Array<{ tier: Tier; risk: Tier | null; n: unknown }>>,
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
