import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, Repository } from 'typeorm';
import type { AuditActor } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { AnswerEntity, newAnswerRow } from '../assessments/answer.entity';
import { clarificationMail } from '../assessments/assessment-mail';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { AssessmentErrorCode, AssessmentException } from '../assessments/assessment.exception';
import { AssessmentState, AssessmentsService } from '../assessments/assessments.service';
import { EvidenceFileEntity } from '../assessments/evidence-file.entity';
import { Clock } from '../clock/clock';
import { addMonths, toIsoDate } from '../common/dates';
import { AppConfig } from '../config/app-config';
import { insertInStatements } from '../database/statement-size';
import type { Locale } from '../i18n/i18n';
import { enqueueMail } from '../mail/mail-outbox';
import { OutboxDelivery } from '../mail/outbox-delivery.service';
import { PortalAccessService } from '../portal/portal-access.service';
import { EvidenceStore } from '../storage/evidence-store';
import { UserEntity } from '../users/user.entity';
import { VendorEntity } from '../vendors/vendor.entity';
import { ReportsService } from '../reports/reports.service';
import { ReviewCyclesService } from '../review-cycles/review-cycles.service';
import { VendorsService } from '../vendors/vendors.service';
import type { AcceptRiskDto, ClarificationRequestDto, CompleteReviewDto, CreateFindingDto, FindingQueryDto, NewFindingDto, ReviewAnswerDto, UpdateFindingDto } from './dto/review-input.dto';
import { FindingEntity, FindingStatus } from './finding.entity';
import { allowedFindingMoves, findingDueDate, findingsFromScores, SEVERITY_RANK } from './finding-rules';
import { ReviewErrorCode, ReviewException } from './review.exception';
import { buildReviewSheet, ReviewSheet } from './review-sheet';

const REVIEWABLE = new Set(['submitted', 'in_review']);
const DAY_MS = 86_400_000;

/**
 * The reviewer's work: verdicts and overrides per answer, clarification requests, completing
 * the review (findings, residual risk, next review date), and the findings' lifecycle.
 */
@Injectable()
export class ReviewsService {
  private readonly logger = new Logger(ReviewsService.name);

  constructor(
    @InjectRepository(FindingEntity) private readonly findings: Repository<FindingEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly assessments: AssessmentsService,
    private readonly vendors: VendorsService,
    private readonly access: PortalAccessService,
    private readonly store: EvidenceStore,
    private readonly audit: AuditService,
    private readonly delivery: OutboxDelivery,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly cycles: ReviewCyclesService,
    private readonly reports: ReportsService,
  ) {}

  async sheet(id: string, locale: Locale): Promise<{ state: AssessmentState; sheet: ReviewSheet }> {
    const state = await this.assessments.state(id);
    return { state, sheet: buildReviewSheet(state, locale) };
  }

  async evidence(assessmentId: string, fileId: string): Promise<{ file: EvidenceFileEntity; data: Buffer }> {
    const file = await this.dataSource.getRepository(EvidenceFileEntity).findOneBy({ id: fileId, assessmentId });
    if (!file) throw new AssessmentException(AssessmentErrorCode.EvidenceNotFound);
    return { file, data: await this.store.read(file.storageKey) };
  }

  /** Moves a submitted assessment into review, with the caller as its reviewer. */
  async start(id: string, actor: AuditActor): Promise<AssessmentEntity> {
    return this.assessments.change(id, async (a, m) => this.startIn(a, actor, m));
  }

  private async startIn(a: AssessmentEntity, actor: AuditActor, m: EntityManager): Promise<void> {
    const from = a.status;
    this.assessments.transition(a, 'in_review');
    a.reviewerId = actor.actorId;
    await this.audit.record(actor, { action: 'assessment.review_start', targetType: 'assessment', targetId: a.id, changes: { status: { before: from, after: 'in_review' } } }, m);
  }

  /** Accepts or rejects one answer, with a note, and may override its score (with a reason). */
  async reviewAnswer(id: string, key: string, dto: ReviewAnswerDto, actor: AuditActor): Promise<AssessmentState> {
    await this.assessments.change(id, async (a, m) => {
      if (!REVIEWABLE.has(a.status)) throw this.assessments.invalidTransition(a.status, 'in_review', 'Answers are reviewed once submitted and until the review is completed.');
      if (a.status === 'submitted') await this.startIn(a, actor, m);
      const state = await this.assessments.state(id, m);
      if (!state.questionnaire.questions.has(key)) throw new AssessmentException(AssessmentErrorCode.UnknownQuestion);
      const repo = m.getRepository(AnswerEntity);
      const row = state.answers.get(key) ?? (await this.blankAnswer(id, key, m));
      const before = { decision: row.reviewDecision, note: row.reviewNote, override: row.overrideX100, overrideReason: row.overrideReason };
      const patch: Partial<AnswerEntity> = { reviewedBy: actor.actorId, reviewedAt: this.clock.now() };
      if (dto.decision !== undefined) patch.reviewDecision = dto.decision;
      if (dto.note !== undefined) patch.reviewNote = dto.note || null;
      if (dto.overrideScore !== undefined) {
        patch.overrideX100 = dto.overrideScore === null ? null : Math.round(dto.overrideScore * 100);
        patch.overrideReason = dto.overrideScore === null ? null : dto.overrideReason!;
      }
      await repo.update({ id: row.id }, patch);
      const after = { ...before, ...pick(patch) };
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      for (const k of Object.keys(after) as Array<keyof typeof after>) if (after[k] !== before[k]) changes[k] = { before: before[k], after: after[k] };
      await this.audit.record(
        actor,
        { action: dto.overrideScore !== undefined ? 'answer.override' : 'answer.review', targetType: 'assessment', targetId: id, changes, details: { question: key } },
        m,
      );
    });
    return this.assessments.recompute(id);
  }

  /** Reopens chosen questions for the vendor with a message, and mails a fresh link. */
  async requestClarification(id: string, dto: ClarificationRequestDto, actor: AuditActor): Promise<AssessmentEntity> {
    let mailId = '';
    const a = await this.assessments.change(id, async (a, m) => {
      const state = await this.assessments.state(id, m);
      const unknown = dto.questionKeys.filter((k) => !state.questionnaire.questions.has(k));
      if (unknown.length) {
        throw new AssessmentException(
          AssessmentErrorCode.UnknownQuestion,
          `Not questions of this assessment: ${unknown.join(', ')}.`,
          unknown.map((k) => ({ path: `questionKeys.${dto.questionKeys.indexOf(k)}`, message: 'is not a question of this assessment', rule: 'exists' })),
        );
      }
      const from = a.status;
      this.assessments.transition(a, 'clarification_requested');
      a.clarificationMessage = dto.message;
      for (const key of dto.questionKeys) {
        const row = state.answers.get(key) ?? (await this.blankAnswer(id, key, m));
        await m.getRepository(AnswerEntity).update({ id: row.id }, { clarificationOpen: true, clarificationNote: dto.message });
      }
      const now = this.clock.now();
      const expiresAt = new Date(Math.max(this.assessments.linkExpiry(a.dueDate).getTime(), now.getTime() + this.config.PORTAL_LINK_GRACE_DAYS * DAY_MS));
      const token = (await this.access.issueLink(id, expiresAt, actor.actorId, m)).token;
      await this.audit.record(
        actor,
        { action: 'assessment.clarification_request', targetType: 'assessment', targetId: id, changes: { status: { before: from, after: 'clarification_requested' } }, details: { questions: dto.questionKeys, message: dto.message } },
        m,
      );
      const message = clarificationMail({
        to: a.recipientEmail,
        name: a.recipientName,
        vendorName: state.vendor.name,
        message: dto.message,
        questions: dto.questionKeys.map((k) => state.questionnaire.questions.get(k)!.question.text[a.language]),
        url: `${this.config.PUBLIC_URL.replace(/\/$/, '')}/portal/t/${token}`,
        locale: a.language,
      });
      mailId = await enqueueMail(m, message, { kind: 'clarification', targetType: 'assessment', targetId: id, vendorId: state.vendor.id, recipientName: a.recipientName }, now);
    });
    await this.delivery.deliverNow([mailId]);
    return a;
  }

  /**
   * Completes the review: raises findings from failed questions and the reviewers' own, sets
   * the vendor's residual risk and schedules its next review by the tier cadence.
   */
  async complete(id: string, dto: CompleteReviewDto, actor: AuditActor): Promise<{ assessment: AssessmentEntity; findings: FindingEntity[] }> {
    const raised: FindingEntity[] = [];
    const a = await this.assessments.change(id, async (a, m) => {
      if (a.status === 'submitted') await this.startIn(a, actor, m);
      const from = a.status;
      this.assessments.transition(a, 'completed');
      const state = await this.assessments.recompute(id, m);
      const today = toIsoDate(this.clock.now());
      const vendor = state.vendor;
      for (const f of dto.findings ?? []) await this.checkOwner(f.ownerId, m);
      for (const f of findingsFromScores(state.questionnaire, state.score.questions)) {
        raised.push(this.newFinding({ vendorId: vendor.id, assessmentId: id, questionKey: f.questionKey, title: f.title.en, severity: f.severity, recommendation: f.recommendation.en, ownerId: vendor.ownerId, dueDate: findingDueDate(f.severity, today) }, actor));
      }
      for (const f of dto.findings ?? []) raised.push(this.newFinding(this.manualFinding(f, vendor.id, id, vendor.ownerId, today), actor));
      await insertInStatements(m, FindingEntity, raised);
      a.completedAt = this.clock.now();
      a.inherentTier = vendor.tier;
      a.residualRisk = state.assessment.residualRisk;
      a.scoreX100 = state.assessment.scoreX100;
      a.band = state.assessment.band;
      a.criticalFailures = state.assessment.criticalFailures;
      a.answeredCount = state.assessment.answeredCount;
      a.questionCount = state.assessment.questionCount;
      await this.access.revokeAll(id, m);
      await this.vendors.recordAssessmentOutcome(vendor.id, { assessmentId: id, residualRisk: a.residualRisk, reviewDate: today }, actor, m);
      await this.cycles.assessmentCompleted(vendor.id, id, actor, m);
      await this.audit.record(
        actor,
        {
          action: 'assessment.complete',
          targetType: 'assessment',
          targetId: id,
          changes: { status: { before: from, after: 'completed' } },
          details: {
            score: state.score.overall,
            band: state.score.band,
            residualRisk: a.residualRisk,
            ...listed('criticalFailures', state.score.criticalFailures),
            ...listed('findings', raised.map((f) => f.id)),
          },
        },
        m,
      );
    });
    // The record of what was decided: the report as it stands now, in every language, stored for good.
    await this.reports.snapshotAssessment(id).catch((err: Error) => this.logger.error(`Report snapshot of assessment ${id} failed: ${err.message}`));
    return { assessment: a, findings: raised };
  }

  // ---- findings ----

  async listFindings(q: FindingQueryDto): Promise<{ items: FindingEntity[]; total: number }> {
    const qb = this.findings.createQueryBuilder('f');
    if (q.vendorId) qb.andWhere('f.vendorId = :vendorId', { vendorId: q.vendorId });
    if (q.assessmentId) qb.andWhere('f.assessmentId = :assessmentId', { assessmentId: q.assessmentId });
    if (q.status) qb.andWhere('f.status = :status', { status: q.status });
    if (q.severity) qb.andWhere('f.severityRank = :rank', { rank: SEVERITY_RANK[q.severity] });
    qb.orderBy('f.severityRank', 'DESC').addOrderBy('f.dueDate', 'ASC').addOrderBy('f.id', 'ASC');
    qb.skip((q.page - 1) * q.pageSize).take(q.pageSize);
    const [items, total] = await qb.getManyAndCount();
    return { items, total };
  }

  async getFinding(id: string): Promise<FindingEntity> {
    const f = await this.findings.findOneBy({ id });
    if (!f) throw new ReviewException(ReviewErrorCode.FindingNotFound);
    return f;
  }

  async createFinding(dto: CreateFindingDto, actor: AuditActor): Promise<FindingEntity> {
    return this.dataSource.transaction(async (m) => {
      const vendor = await m.getRepository(VendorEntity).findOne({ select: { id: true, ownerId: true }, where: { id: dto.vendorId } });
      if (!vendor) throw new ReviewException(ReviewErrorCode.FindingNotFound, 'There is no such vendor.', [{ path: 'vendorId', message: 'is not a vendor', rule: 'exists' }]);
      if (dto.assessmentId) {
        const a = await m.getRepository(AssessmentEntity).findOneBy({ id: dto.assessmentId, vendorId: dto.vendorId });
        if (!a) throw new ReviewException(ReviewErrorCode.FindingNotFound, 'The assessment is not one of this vendor’s.', [{ path: 'assessmentId', message: 'is not an assessment of this vendor', rule: 'exists' }]);
      }
      await this.checkOwner(dto.ownerId, m);
      const f = this.newFinding(this.manualFinding(dto, dto.vendorId, dto.assessmentId ?? null, vendor.ownerId, toIsoDate(this.clock.now())), actor);
      await m.getRepository(FindingEntity).insert(f);
      await this.audit.record(actor, { action: 'finding.create', targetType: 'finding', targetId: f.id, details: { vendorId: f.vendorId, severity: f.severity, title: f.title } }, m);
      return f;
    });
  }

  async updateFinding(id: string, dto: UpdateFindingDto, actor: AuditActor): Promise<FindingEntity> {
    return this.changeFinding(id, dto.version, actor, 'finding.update', async (f, m) => {
      if (dto.status && dto.status !== f.status) this.move(f, dto.status);
      if (dto.ownerId !== undefined) {
        await this.checkOwner(dto.ownerId, m);
        f.ownerId = dto.ownerId;
      }
      if (dto.dueDate !== undefined) f.dueDate = dto.dueDate;
      if (dto.note !== undefined) f.note = dto.note || null;
    });
  }

  async acceptRisk(id: string, dto: AcceptRiskDto, actor: AuditActor): Promise<FindingEntity> {
    const today = toIsoDate(this.clock.now());
    if (dto.until <= today || dto.until > addMonths(today, 36)) {
      throw new ReviewException(ReviewErrorCode.InvalidRiskExpiry, 'A risk is accepted until a date after today and at most three years ahead.', [
        { path: 'until', message: 'must be after today and within three years', rule: 'dateRange' },
      ]);
    }
    return this.changeFinding(id, dto.version, actor, 'finding.accept_risk', async (f) => {
      this.move(f, 'risk_accepted');
      f.riskAcceptedReason = dto.reason;
      f.riskAcceptedUntil = dto.until;
      f.riskAcceptedBy = actor.actorId;
    });
  }

  private move(f: FindingEntity, to: FindingStatus): void {
    const allowed = allowedFindingMoves(f.status);
    if (!allowed.includes(to)) {
      throw new ReviewException(ReviewErrorCode.InvalidFindingMove, `A finding that is ${f.status} cannot become ${to}; allowed: ${allowed.join(', ')}.`, undefined, { status: f.status, requested: to, allowed });
    }
    if (f.status === 'risk_accepted') {
      f.riskAcceptedReason = null;
      f.riskAcceptedUntil = null;
      f.riskAcceptedBy = null;
    }
    f.status = to;
    f.resolvedAt = to === 'resolved' ? this.clock.now() : null;
  }

  private async changeFinding(id: string, version: number, actor: AuditActor, action: string, fn: (f: FindingEntity, m: EntityManager) => Promise<void>): Promise<FindingEntity> {
    return this.dataSource.transaction(async (m) => {
      const f = await m.getRepository(FindingEntity).findOneBy({ id });
      if (!f) throw new ReviewException(ReviewErrorCode.FindingNotFound);
      if (f.version !== version) throw new ReviewException(ReviewErrorCode.FindingVersionConflict, `You edited version ${version}; the finding is now at version ${f.version}. Reload and apply your change again.`);
      const before = { ...f };
      await fn(f, m);
      f.updatedAt = this.clock.now();
      const result = await m.getRepository(FindingEntity).update({ id, version }, { ...f, version: version + 1 });
      if (!result.affected) throw new ReviewException(ReviewErrorCode.FindingVersionConflict, 'The finding was changed at the same time; reload and try again.');
      f.version = version + 1;
      const changes: Record<string, { before: unknown; after: unknown }> = {};
      for (const k of ['status', 'ownerId', 'dueDate', 'note', 'riskAcceptedReason', 'riskAcceptedUntil'] as const) {
        if (before[k] !== f[k]) changes[k] = { before: before[k], after: f[k] };
      }
      await this.audit.record(actor, { action, targetType: 'finding', targetId: id, changes }, m);
      return f;
    });
  }

  private manualFinding(f: NewFindingDto, vendorId: string, assessmentId: string | null, defaultOwner: string, today: string) {
    return {
      vendorId,
      assessmentId,
      questionKey: null,
      title: f.title,
      severity: f.severity,
      recommendation: f.recommendation,
      ownerId: f.ownerId ?? defaultOwner,
      dueDate: f.dueDate ?? findingDueDate(f.severity, today),
    };
  }

  private newFinding(
    f: Pick<FindingEntity, 'vendorId' | 'assessmentId' | 'questionKey' | 'title' | 'severity' | 'recommendation' | 'ownerId' | 'dueDate'>,
    actor: AuditActor,
  ): FindingEntity {
    const now = this.clock.now();
    return this.findings.create({
      id: randomUUID(),
      ...f,
      title: f.title.slice(0, 300),
      severityRank: SEVERITY_RANK[f.severity],
      status: 'open',
      createdBy: actor.actorId,
      createdAt: now,
      updatedAt: now,
      resolvedAt: null,
      note: null,
      riskAcceptedReason: null,
      riskAcceptedUntil: null,
      riskAcceptedBy: null,
      version: 1,
    });
  }

  private async checkOwner(ownerId: string | undefined, m: EntityManager): Promise<void> {
    if (!ownerId) return;
    const u = await m.getRepository(UserEntity).findOne({ select: { id: true, disabled: true }, where: { id: ownerId } });
    if (!u || u.disabled) throw new ReviewException(ReviewErrorCode.OwnerNotFound, 'The owner must be an active staff user.', [{ path: 'ownerId', message: 'is not an active staff user', rule: 'exists' }]);
  }

  private async blankAnswer(assessmentId: string, key: string, m: EntityManager): Promise<AnswerEntity> {
    const row = newAnswerRow(assessmentId, key);
    await m.getRepository(AnswerEntity).insert(row);
    return row;
  }
}

function pick(p: Partial<AnswerEntity>) {
  const out: Record<string, unknown> = {};
  if ('reviewDecision' in p) out.decision = p.reviewDecision;
  if ('reviewNote' in p) out.note = p.reviewNote;
  if ('overrideX100' in p) out.override = p.overrideX100;
  if ('overrideReason' in p) out.overrideReason = p.overrideReason;
  return out;
}

/**
 * An audit entry names at most AUDIT_LISTED items of a list, with the count of them all: the
 * review of a long questionnaire raises thousands of findings, and their ids alone overflowed
 * MySQL's 64 KB TEXT of `audit_events.details`.
 */
export const AUDIT_LISTED = 100;

function listed(name: string, items: readonly string[]): Record<string, unknown> {
  return items.length <= AUDIT_LISTED ? { [name]: items } : { [name]: items.slice(0, AUDIT_LISTED), [`${name}Total`]: items.length };
}
