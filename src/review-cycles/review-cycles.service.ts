import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import type { AuditActor } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { AssessmentsService } from '../assessments/assessments.service';
import { Clock } from '../clock/clock';
import { addDays, toIsoDate } from '../common/dates';
import { ContractEntity } from '../contracts/contract.entity';
import { ContractsService } from '../contracts/contracts.service';
import { insertIgnore } from '../database/insert-ignore';
import { FindingEntity } from '../reviews/finding.entity';
import { VendorEntity } from '../vendors/vendor.entity';
import { REVIEW_DUE_WITHIN_DAYS, ReviewStatus } from './review-cycle-status';
import { ReviewCycleEntity, ReviewKind } from './review-cycle.entity';
import { ReviewCycleErrorCode, ReviewCycleException } from './review-cycle.exception';
import type { CompleteReviewCycleDto, ReviewCycleQueryDto, StartReassessmentDto } from './dto/review-cycle-input.dto';
import { withAdvisoryLock } from '../database/advisory-lock';

const BATCH = 1000;
const OPEN = ['scheduled', 'in_progress'] as const;

/** A date column as read by a raw query: text on SQLite, a UTC `Date` on MySQL. */
export const isoDateOf = (v: unknown): string => (v instanceof Date ? toIsoDate(v) : String(v).slice(0, 10));

export interface ScheduleResult {
  created: number;
  moved: number;
  cancelled: number;
  contractsRolled: number;
}

/**
 * Review cycles: one open review per vendor for its re-assessment (due on its next review date,
 * from the tier cadence), one per active contract by its notice deadline, one per accepted risk
 * by its expiry. `schedule` keeps them so, in batches, and is safe to run at any time and from
 * two processes at once (each cycle has a unique key). Completing a review closes it; the next
 * sweep opens the next one.
 */
@Injectable()
export class ReviewCyclesService {
  constructor(
    @InjectRepository(ReviewCycleEntity) private readonly cycles: Repository<ReviewCycleEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly contracts: ContractsService,
    private readonly assessments: AssessmentsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  /**
   * Opens the reviews that are missing, moves re-assessment dates that changed, cancels reviews
   * whose subject went away. One run at a time, also across app instances: two at once on
   * MariaDB deadlocked (one's INSERT IGNORE against the other's UPDATE of the same rows).
   */
  async schedule(today: string): Promise<ScheduleResult> {
    return withAdvisoryLock(this.dataSource, 'vdp.review_cycles.schedule', () => this.scheduleNow(today));
  }

  private async scheduleNow(today: string): Promise<ScheduleResult> {
    const contractsRolled = await this.contracts.rollTerms(today);
    const cancelled = await this.cancelOrphans();
    const moved = await this.moveReassessmentDates();
    let created = 0;
    created += await this.openMissing(
      'reassessment',
      `SELECT v.id AS id, v.id AS vendor_id, v.next_review_date AS due FROM vendors v
        WHERE v.archived_at IS NULL AND v.status <> 'terminated' AND v.id > ?
          AND NOT EXISTS (SELECT 1 FROM review_cycles r WHERE r.vendor_id = v.id AND r.kind = 'reassessment' AND r.state IN ('scheduled', 'in_progress'))
        ORDER BY v.id LIMIT ${BATCH}`,
      false,
    );
    created += await this.openMissing(
      'contract_renewal',
      `SELECT c.id AS id, c.vendor_id AS vendor_id, c.notice_deadline AS due FROM contracts c JOIN vendors v ON v.id = c.vendor_id
        WHERE c.state = 'active' AND c.notice_deadline IS NOT NULL AND v.archived_at IS NULL AND v.status <> 'terminated' AND c.id > ?
          AND NOT EXISTS (SELECT 1 FROM review_cycles r WHERE r.subject_id = c.id AND r.state IN ('scheduled', 'in_progress'))
        ORDER BY c.id LIMIT ${BATCH}`,
      true,
    );
    created += await this.openMissing(
      'risk_acceptance',
      `SELECT f.id AS id, f.vendor_id AS vendor_id, f.risk_accepted_until AS due FROM findings f JOIN vendors v ON v.id = f.vendor_id
        WHERE f.status = 'risk_accepted' AND f.risk_accepted_until IS NOT NULL AND v.archived_at IS NULL AND v.status <> 'terminated' AND f.id > ?
          AND NOT EXISTS (SELECT 1 FROM review_cycles r WHERE r.subject_id = f.id AND r.state IN ('scheduled', 'in_progress'))
        ORDER BY f.id LIMIT ${BATCH}`,
      true,
    );
    return { created, moved, cancelled, contractsRolled };
  }

  /** Inserts a cycle for each row the query finds, page by page (keyset on the row id). */
  private async openMissing(kind: ReviewKind, sql: string, withSubject: boolean): Promise<number> {
    let after = '';
    let created = 0;
    const now = this.clock.now();
    for (;;) {
      const rows: Array<{ id: string; vendor_id: string; due: unknown }> = await this.dataSource.query(sql, [after]);
      if (!rows.length) return created;
      after = rows[rows.length - 1].id;
      const values = rows.map((r) => newCycleRow({ id: randomUUID(), kind, vendorId: r.vendor_id, subjectId: withSubject ? r.id : null, dueDate: isoDateOf(r.due), now }));
      created += await this.dataSource.transaction((m) => insertIgnore(m, ReviewCycleEntity, values));
      if (rows.length < BATCH) return created;
    }
  }

  /** A scheduled re-assessment follows its vendor's next review date when that moves (a tier change, an override). */
  private async moveReassessmentDates(): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(ReviewCycleEntity)
      .set({ dueDate: () => '(SELECT v.next_review_date FROM vendors v WHERE v.id = vendor_id)', version: () => 'version + 1' })
      .where("kind = 'reassessment' AND state = 'scheduled'")
      .andWhere('due_date <> (SELECT v.next_review_date FROM vendors v WHERE v.id = vendor_id)')
      .execute();
    return result.affected ?? 0;
  }

  /**
   * Open reviews of archived or terminated vendors, ended contracts and risks no longer accepted.
   * The statements run one after another: side by side on MariaDB, their locks on overlapping
   * ranges of review_cycles deadlocked now and then (seen in the review-cycle tests).
   */
  private async cancelOrphans(): Promise<number> {
    const now = this.clock.now();
    const cancel = (where: string) =>
      this.dataSource
        .createQueryBuilder()
        .update(ReviewCycleEntity)
        .set({ state: 'cancelled', updatedAt: now, version: () => 'version + 1' })
        .where("state IN ('scheduled', 'in_progress')")
        .andWhere(where)
        .execute()
        .then((r) => r.affected ?? 0);
    let cancelled = await this.cancelReassessmentsOfGoneVendors(now);
    cancelled += await cancel("kind <> 'reassessment' AND vendor_id IN (SELECT v.id FROM vendors v WHERE v.archived_at IS NOT NULL OR v.status = 'terminated')");
    cancelled += await cancel("kind = 'contract_renewal' AND subject_id IN (SELECT c.id FROM contracts c WHERE c.state <> 'active' OR c.notice_deadline IS NULL)");
    cancelled += await cancel("kind = 'risk_acceptance' AND subject_id IN (SELECT f.id FROM findings f WHERE f.status <> 'risk_accepted')");
    // A renewal whose contract moved to a new notice deadline (renewed, dates changed) is replaced by one for the new date.
    cancelled += await cancel("kind = 'contract_renewal' AND state = 'scheduled' AND due_date <> (SELECT c.notice_deadline FROM contracts c WHERE c.id = subject_id)");
    return cancelled;
  }

  /** Open re-assessments of archived or terminated vendors, closed in one statement, their keys freed (see `cycleKey`). */
  private async cancelReassessmentsOfGoneVendors(now: Date): Promise<number> {
    const result = await this.dataSource
      .createQueryBuilder()
      .update(ReviewCycleEntity)
      .set({ state: 'cancelled', cycleKey: () => 'id', updatedAt: now, version: () => 'version + 1' })
      .where("kind = 'reassessment' AND state IN ('scheduled', 'in_progress')")
      .andWhere("vendor_id IN (SELECT v.id FROM vendors v WHERE v.archived_at IS NOT NULL OR v.status = 'terminated')")
      .execute();
    return result.affected ?? 0;
  }

  async list(q: ReviewCycleQueryDto, today: string): Promise<{ items: Array<ReviewCycleEntity & { vendorName: string }>; total: number }> {
    const qb = this.cycles.createQueryBuilder('r').innerJoin('r.vendor', 'v').addSelect(['v.id', 'v.name', 'v.ownerId']);
    if (q.vendorId) qb.andWhere('r.vendorId = :vendorId', { vendorId: q.vendorId });
    if (q.ownerId) qb.andWhere('v.ownerId = :ownerId', { ownerId: q.ownerId });
    if (q.kind) qb.andWhere('r.kind = :kind', { kind: q.kind });
    if (q.from) qb.andWhere('r.dueDate >= :from', { from: q.from });
    if (q.to) qb.andWhere('r.dueDate <= :to', { to: q.to });
    if (q.status) whereStatus(qb, q.status, today);
    else if (!q.from && !q.to) qb.andWhere("r.state IN ('scheduled', 'in_progress')");
    qb.orderBy('r.dueDate', 'ASC').addOrderBy('r.id', 'ASC').skip((q.page - 1) * q.pageSize).take(q.pageSize);
    const [items, total] = await qb.getManyAndCount();
    return { items: items.map((r) => Object.assign(r, { vendorName: r.vendor!.name })), total };
  }

  async get(id: string): Promise<ReviewCycleEntity> {
    const r = await this.cycles.findOne({ where: { id }, relations: { vendor: true } });
    if (!r) throw new ReviewCycleException(ReviewCycleErrorCode.NotFound);
    return r;
  }

  /** What a renewal or an accepted-risk review is about: its contract or finding (null when it is gone). */
  async subjectOf(r: ReviewCycleEntity): Promise<{ type: 'contract' | 'finding'; id: string; title: string } | null> {
    if (!r.subjectId) return null;
    if (r.kind === 'contract_renewal') {
      const c = await this.dataSource.getRepository(ContractEntity).findOne({ select: { id: true, title: true }, where: { id: r.subjectId } });
      return c ? { type: 'contract', id: c.id, title: c.title } : null;
    }
    const f = await this.dataSource.getRepository(FindingEntity).findOne({ select: { id: true, title: true }, where: { id: r.subjectId } });
    return f ? { type: 'finding', id: f.id, title: f.title } : null;
  }

  /** Closes a contract-renewal or accepted-risk review with what was decided; a re-assessment closes with its assessment. */
  async complete(id: string, dto: CompleteReviewCycleDto, actor: AuditActor): Promise<ReviewCycleEntity> {
    return this.change(id, dto.version, async (r, m) => {
      if (r.kind === 'reassessment') {
        throw new ReviewCycleException(ReviewCycleErrorCode.InvalidMove, 'A re-assessment is completed by completing the review of its questionnaire.');
      }
      if (!OPEN.includes(r.state as (typeof OPEN)[number])) throw new ReviewCycleException(ReviewCycleErrorCode.InvalidMove, `The review is already ${r.state}.`);
      r.state = 'done';
      r.completedAt = this.clock.now();
      r.completedBy = actor.actorId;
      r.note = dto.note;
      await this.audit.record(actor, { action: 'review_cycle.complete', targetType: 'review_cycle', targetId: r.id, details: { vendorId: r.vendorId, kind: r.kind, note: dto.note } }, m);
    });
  }

  /**
   * Sends the vendor its re-assessment questionnaire, with the answers of its last completed
   * assessment carried over for the vendor to confirm or change; the review is in progress
   * until that questionnaire's review completes.
   */
  async startReassessment(id: string, dto: StartReassessmentDto, actor: AuditActor): Promise<{ cycle: ReviewCycleEntity; assessmentId: string; link: { url: string; mailed: boolean } | null }> {
    const r = await this.get(id);
    // Checked before the questionnaire goes out (and again when the review is written).
    if (r.version !== dto.version) throw new ReviewCycleException(ReviewCycleErrorCode.VersionConflict, 'The review was changed meanwhile; reload it.', undefined, { currentVersion: r.version });
    if (r.kind !== 'reassessment' || r.state !== 'scheduled') {
      throw new ReviewCycleException(ReviewCycleErrorCode.InvalidMove, r.kind !== 'reassessment' ? 'Only a re-assessment sends a questionnaire.' : `The review is already ${r.state}.`);
    }
    // The vendor's last completed assessment, whose answers are carried over for the vendor to confirm or change.
    const vendor = await this.dataSource.getRepository(VendorEntity).findOne({ select: { id: true, lastAssessmentId: true }, where: { id: r.vendorId } });
    const { assessment, link } = await this.assessments.create({ vendorId: r.vendorId, dueDate: dto.dueDate, modules: dto.modules, send: true }, actor, {
      prefillFrom: vendor?.lastAssessmentId ?? undefined,
    });
    const cycle = await this.change(id, dto.version, async (c, m) => {
      c.state = 'in_progress';
      c.startedAt = this.clock.now();
      c.assessmentId = assessment.id;
      await this.audit.record(actor, { action: 'review_cycle.start', targetType: 'review_cycle', targetId: c.id, details: { vendorId: c.vendorId, assessmentId: assessment.id } }, m);
    });
    return { cycle, assessmentId: assessment.id, link: link ? { url: link.url, mailed: link.mailed } : null };
  }

  /** Called in the transaction that completes an assessment's review: closes the vendor's open re-assessment. */
  async assessmentCompleted(vendorId: string, assessmentId: string, actor: AuditActor, m: EntityManager): Promise<void> {
    const open = await m.getRepository(ReviewCycleEntity).find({ where: { vendorId, kind: 'reassessment', state: In([...OPEN]) } });
    for (const r of open) {
      await m.getRepository(ReviewCycleEntity).update(
        { id: r.id },
        { state: 'done', cycleKey: r.id, completedAt: this.clock.now(), completedBy: actor.actorId, assessmentId: r.assessmentId ?? assessmentId, updatedAt: this.clock.now(), version: () => 'version + 1' },
      );
      await this.audit.record(actor, { action: 'review_cycle.complete', targetType: 'review_cycle', targetId: r.id, details: { vendorId, kind: r.kind, assessmentId } }, m);
    }
  }

  private async change(id: string, version: number, fn: (r: ReviewCycleEntity, m: EntityManager) => Promise<void>): Promise<ReviewCycleEntity> {
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(ReviewCycleEntity);
      const r = await repo.findOneBy({ id });
      if (!r) throw new ReviewCycleException(ReviewCycleErrorCode.NotFound);
      if (r.version !== version) throw new ReviewCycleException(ReviewCycleErrorCode.VersionConflict, 'The review was changed meanwhile; reload it.', undefined, { currentVersion: r.version });
      await fn(r, m);
      r.updatedAt = this.clock.now();
      const { version: _v, vendor: _vendor, ...columns } = r;
      const result = await repo.update({ id, version }, { ...columns, version: version + 1 });
      if (!result.affected) throw new ReviewCycleException(ReviewCycleErrorCode.VersionConflict, 'The review was changed meanwhile; reload it.');
      r.version = version + 1;
      return r;
    });
  }
}

/**
 * The unique key of a cycle. A vendor has one open re-assessment at a time: its key is the
 * vendor's "open" slot, freed when it closes (its key becomes the cycle's own id), so the next
 * one can open even on the same date. A renewal or an accepted risk is reviewed once per deadline: its key names the
 * contract or finding and the date, and stays.
 */
export function cycleKey(kind: ReviewKind, subjectId: string, due: string): string {
  return kind === 'reassessment' ? `reassessment:${subjectId}:open` : `${kind}:${subjectId}:${due}`;
}

/** A review cycle as it opens: scheduled, nothing started. */
export function newCycleRow(p: { id: string; kind: ReviewKind; vendorId: string; subjectId: string | null; dueDate: string; now: Date }): ReviewCycleEntity {
  return {
    id: p.id,
    cycleKey: cycleKey(p.kind, p.subjectId ?? p.vendorId, p.dueDate),
    vendorId: p.vendorId,
    kind: p.kind,
    subjectId: p.subjectId,
    dueDate: p.dueDate,
    state: 'scheduled',
    assessmentId: null,
    startedAt: null,
    completedAt: null,
    completedBy: null,
    note: null,
    createdAt: p.now,
    updatedAt: p.now,
    version: 1,
  };
}


/** The derived status as SQL over state and due date (the rules of `reviewStatus`). */
function whereStatus(qb: ReturnType<Repository<ReviewCycleEntity>['createQueryBuilder']>, status: ReviewStatus, today: string): void {
  const horizon = addDays(today, REVIEW_DUE_WITHIN_DAYS);
  qb.setParameters({ today, horizon });
  switch (status) {
    case 'done':
    case 'cancelled':
      qb.andWhere('r.state = :state', { state: status });
      return;
    case 'overdue':
      qb.andWhere("r.state IN ('scheduled', 'in_progress') AND r.dueDate < :today");
      return;
    case 'in_progress':
      qb.andWhere("r.state = 'in_progress' AND r.dueDate >= :today");
      return;
    case 'due':
      qb.andWhere("r.state = 'scheduled' AND r.dueDate >= :today AND r.dueDate <= :horizon");
      return;
    case 'scheduled':
      qb.andWhere("r.state = 'scheduled' AND r.dueDate > :horizon");
  }
}
