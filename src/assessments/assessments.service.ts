import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, In, LessThan, Repository } from 'typeorm';
import type { AuditActor } from '../audit/audit-context';
import { SYSTEM_ACTOR } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../clock/clock';
import { toIsoDate } from '../common/dates';
import { AppConfig } from '../config/app-config';
import { PreparedLookup, PreparedUpdate } from '../database/prepared-lookup';
import { insertInStatements } from '../database/statement-size';
import { enqueueMail } from '../mail/mail-outbox';
import { OutboxDelivery } from '../mail/outbox-delivery.service';
import { PortalAccessService } from '../portal/portal-access.service';
import type { CompiledQuestionnaire } from '../questionnaires/compiled-module';
import { defaultModules } from '../questionnaires/module-selection';
import { QuestionnairesService } from '../questionnaires/questionnaires.service';
import { AssessmentScore, residualRisk } from '../scoring/scoring';
import { VendorEntity } from '../vendors/vendor.entity';
import { AnswerEntity, newAnswerRow } from './answer.entity';
import { checkAnswer, progressOf, Progress } from './answer-rules';
import { invitationMail } from './assessment-mail';
import { allowedTransitions, AssessmentStatus, AWAITING_VENDOR, canTransition, RESENDABLE } from './assessment-lifecycle';
import { AssessmentModuleEntity } from './assessment-module.entity';
import { scoreAnswers, ScoredAnswer } from './assessment-score';
import { AssessmentEntity } from './assessment.entity';
import { AssessmentErrorCode, AssessmentException } from './assessment.exception';
import type { AssessmentQueryDto, CreateAssessmentDto, ResendAssessmentDto } from './dto/assessment-input.dto';
import { EvidenceFileEntity } from './evidence-file.entity';

interface QueuedInvitation {
  url: string;
  expiresAt: Date;
  mailId: string;
}

export interface SentLink {
  url: string;
  expiresAt: Date;
  /** Whether the invitation email went out now; when not, the outbox retries it, and staff can copy the link or resend. */
  mailed: boolean;
}

export interface AssessmentState {
  assessment: AssessmentEntity;
  vendor: VendorEntity;
  questionnaire: CompiledQuestionnaire;
  moduleVersionIds: string[];
  answers: Map<string, AnswerEntity>;
  evidence: EvidenceFileEntity[];
  /** Answers as the scorer and the progress counter read them. */
  scored: Map<string, ScoredAnswer>;
  score: AssessmentScore;
  progress: Progress;
}

const DAY_MS = 86_400_000;
/** Assessments whose module versions are kept in memory (about 250 bytes each). */
const MODULE_IDS_KEPT = 10_000;

/**
 * Staff's side of an assessment: create and send it, resend (rotating the link), revoke the link,
 * cancel, list; plus what every other part needs: the full state of one assessment and the
 * recomputation of its score after each change.
 */
@Injectable()
export class AssessmentsService {
  /** The reads of `state()` and the score write, run on every portal save and page. */
  private readonly byId: PreparedLookup;
  /** The same read, locking the row for the transaction (MySQL/MariaDB; SQLite runs transactions one at a time). */
  private readonly byIdForUpdate: PreparedLookup | null;
  private readonly vendorById: PreparedLookup;
  /** The assessment and its vendor in one read, for `state()` outside a transaction (pages). */
  private readonly byIdWithVendor: PreparedLookup;
  private readonly versionIdsOf: PreparedLookup;
  /**
   * The module versions of assessments, which are written with the assessment and never change:
   * kept in memory (the most recent MODULE_IDS_KEPT), so a page or a save does not read them again.
   */
  private readonly moduleIdsKept = new Map<string, string[]>();
  private readonly answersOf: PreparedLookup;
  private readonly evidenceOf: PreparedLookup;
  private readonly scoreUpdate: PreparedUpdate<AssessmentEntity>;

  constructor(
    @InjectRepository(AssessmentEntity) private readonly assessments: Repository<AssessmentEntity>,
    @InjectRepository(AssessmentModuleEntity) private readonly modules: Repository<AssessmentModuleEntity>,
    @InjectRepository(VendorEntity) private readonly vendors: Repository<VendorEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly questionnaires: QuestionnairesService,
    private readonly access: PortalAccessService,
    private readonly audit: AuditService,
    private readonly delivery: OutboxDelivery,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {
    const byId = (ds: DataSource) => ds.getRepository(AssessmentEntity).createQueryBuilder('a').where('a.id = :key');
    this.byId = new PreparedLookup(dataSource, [{ alias: 'a', entity: AssessmentEntity }], byId);
    this.byIdForUpdate =
      dataSource.options.type === 'better-sqlite3' ? null : new PreparedLookup(dataSource, [{ alias: 'a', entity: AssessmentEntity }], (ds) => byId(ds).setLock('pessimistic_write'));
    this.vendorById = new PreparedLookup(dataSource, [{ alias: 'v', entity: VendorEntity }], (ds) => ds.getRepository(VendorEntity).createQueryBuilder('v').where('v.id = :key'));
    this.byIdWithVendor = new PreparedLookup(
      dataSource,
      [
        { alias: 'a', entity: AssessmentEntity },
        { alias: 'v', entity: VendorEntity },
      ],
      (ds) => byId(ds).innerJoin(VendorEntity, 'v', 'v.id = a.vendorId'),
    );
    this.versionIdsOf = new PreparedLookup(dataSource, [{ alias: 'm', entity: AssessmentModuleEntity, properties: ['moduleVersionId'] }], (ds) =>
      ds.getRepository(AssessmentModuleEntity).createQueryBuilder('m').where('m.assessmentId = :key').orderBy('m.position', 'ASC'),
    );
    this.answersOf = new PreparedLookup(dataSource, [{ alias: 'r', entity: AnswerEntity }], (ds) => ds.getRepository(AnswerEntity).createQueryBuilder('r').where('r.assessmentId = :key'));
    this.evidenceOf = new PreparedLookup(dataSource, [{ alias: 'e', entity: EvidenceFileEntity }], (ds) =>
      ds.getRepository(EvidenceFileEntity).createQueryBuilder('e').where('e.assessmentId = :key').andWhere('e.removedAt IS NULL').orderBy('e.uploadedAt', 'ASC').addOrderBy('e.id', 'ASC'),
    );
    this.scoreUpdate = new PreparedUpdate(dataSource, AssessmentEntity, ['scoreX100', 'band', 'criticalFailures', 'answeredCount', 'questionCount', 'residualRisk'], ['id']);
  }

  /**
   * Creates (and by default sends) an assessment. With `prefillFrom`, the answers of that earlier
   * assessment of the vendor are carried over where the new questionnaire asks the same question
   * and the old answer still fits it: the vendor confirms or changes each before submitting.
   */
  async create(dto: CreateAssessmentDto, actor: AuditActor, options: { prefillFrom?: string } = {}): Promise<{ assessment: AssessmentEntity; link: SentLink | null }> {
    const vendor = await this.vendors.findOneBy({ id: dto.vendorId });
    if (!vendor) throw new AssessmentException(AssessmentErrorCode.NotFound, 'There is no such vendor.', [{ path: 'vendorId', message: 'is not a vendor', rule: 'exists' }]);
    if (vendor.archivedAt) throw new AssessmentException(AssessmentErrorCode.VendorArchived, 'Restore the vendor before sending it a questionnaire.');
    this.checkDueDate(dto.dueDate);

    const keys = dto.modules ?? (await this.proposedModules(vendor));
    if (!keys.length) throw new AssessmentException(AssessmentErrorCode.NoModules, 'No questionnaire module applies to this vendor by default; choose the modules.', [{ path: 'modules', message: 'choose at least one module', rule: 'arrayNotEmpty' }]);
    const versions = await this.questionnaires.resolveForSending(keys);
    const now = this.clock.now();
    const assessment = this.assessments.create({
      id: randomUUID(),
      vendorId: vendor.id,
      status: 'draft',
      dueDate: dto.dueDate,
      recipientName: dto.recipient?.name ?? vendor.contactName,
      recipientEmail: dto.recipient?.email ?? vendor.contactEmail,
      language: dto.recipient?.language ?? vendor.contactLanguage,
      message: dto.message || null,
      createdBy: actor.actorId,
      createdAt: now,
      updatedAt: now,
      sentAt: null,
      submittedAt: null,
      completedAt: null,
      cancelledAt: null,
      reviewerId: null,
      clarificationMessage: null,
      scoreX100: null,
      band: null,
      criticalFailures: 0,
      answeredCount: 0,
      questionCount: versions.reduce((n, v) => n + v.questionCount, 0),
      residualRisk: null,
      inherentTier: null,
      version: 1,
    });
    let queued: QueuedInvitation | null = null;
    await this.dataSource.transaction(async (m) => {
      await m.createQueryBuilder().insert().into(AssessmentEntity).values(assessment).updateEntity(false).execute();
      await m.getRepository(AssessmentModuleEntity).insert(versions.map((v, position) => ({ assessmentId: assessment.id, position, moduleVersionId: v.id })));
      if (options.prefillFrom) await this.carryOver(options.prefillFrom, assessment.id, versions.map((v) => v.id), now, m);
      await this.audit.record(
        actor,
        {
          action: 'assessment.create',
          targetType: 'assessment',
          targetId: assessment.id,
          details: { vendorId: vendor.id, modules: versions.map((v) => `${v.moduleKey}@${v.version}`), dueDate: dto.dueDate, recipient: assessment.recipientEmail },
        },
        m,
      );
      if (dto.send !== false) {
        const token = await this.markSent(assessment, actor, m);
        await m.getRepository(AssessmentEntity).update({ id: assessment.id }, { status: assessment.status, sentAt: assessment.sentAt });
        queued = await this.queueInvitation(assessment, vendor, token, m);
      }
    });
    await this.recompute(assessment.id);
    const link = queued ? await this.sendInvitation(queued) : null;
    return { assessment: await this.getEntity(assessment.id), link };
  }

  /** Copies the answers of an earlier assessment that the new questionnaire asks again (files are not carried over). */
  private async carryOver(fromId: string, toId: string, versionIds: string[], now: Date, m: EntityManager): Promise<void> {
    const questionnaire = await this.questionnaires.compile(versionIds);
    const previous = await m.getRepository(AnswerEntity).find({ where: { assessmentId: fromId } });
    const rows: AnswerEntity[] = [];
    for (const p of previous) {
      const entry = questionnaire.questions.get(p.questionKey);
      if (!entry || entry.question.type === 'file' || (p.value === null && !p.comment)) continue;
      const checked = checkAnswer(entry.question, p.value);
      if (!checked.ok) continue;
      const value = checked.value ?? null;
      rows.push(newAnswerRow(toId, p.questionKey, { value, comment: p.comment, version: 1, answeredAt: now, prefilledFrom: fromId, previousValue: value }));
    }
    await insertInStatements(m, AnswerEntity, rows);
  }

  async proposedModulesFor(vendorId: string): Promise<string[]> {
    const vendor = await this.vendors.findOneBy({ id: vendorId });
    if (!vendor) throw new AssessmentException(AssessmentErrorCode.NotFound, 'There is no such vendor.');
    return this.proposedModules(vendor);
  }

  /** Module keys proposed for a vendor: those whose `appliesTo` rules match its tier and category (newest versions). */
  async proposedModules(vendor: Pick<VendorEntity, 'tier' | 'category' | 'dataCategories'>): Promise<string[]> {
    const latest = await this.questionnaires.latestVersions();
    const definitions = await this.questionnaires.definitions(latest.map((v) => v.id));
    return defaultModules(definitions, vendor);
  }

  async send(id: string, actor: AuditActor): Promise<{ assessment: AssessmentEntity; link: SentLink }> {
    let queued!: QueuedInvitation;
    const a = await this.change(id, async (a, m) => {
      this.checkDueDate(a.dueDate);
      const token = await this.markSent(a, actor, m);
      queued = await this.queueInvitation(a, await m.getRepository(VendorEntity).findOneByOrFail({ id: a.vendorId }), token, m);
    });
    return { assessment: a, link: await this.sendInvitation(queued) };
  }

  /** Sends the link again with a new token (the old one stops working); reopens an expired questionnaire. */
  async resend(id: string, dto: ResendAssessmentDto, actor: AuditActor): Promise<{ assessment: AssessmentEntity; link: SentLink }> {
    let queued!: QueuedInvitation;
    const a = await this.change(id, async (a, m) => {
      if (!RESENDABLE.has(a.status)) throw this.invalidTransition(a.status, 'sent', 'The link can be sent again only while the vendor still owes answers.');
      const before = a.dueDate;
      if (dto.dueDate) a.dueDate = dto.dueDate;
      this.checkDueDate(a.dueDate, a.status === 'expired' ? 'Give a new due date: the old one has passed.' : undefined);
      if (a.status === 'expired') this.transition(a, 'sent');
      const issued = await this.access.issueLink(a.id, this.linkExpiry(a.dueDate), actor.actorId, m);
      await this.audit.record(
        actor,
        { action: 'assessment.resend', targetType: 'assessment', targetId: a.id, details: { dueDate: a.dueDate, previousDueDate: before, recipient: a.recipientEmail } },
        m,
      );
      queued = await this.queueInvitation(a, await m.getRepository(VendorEntity).findOneByOrFail({ id: a.vendorId }), issued.token, m);
    });
    return { assessment: a, link: await this.sendInvitation(queued) };
  }

  async revokeLink(id: string, actor: AuditActor): Promise<AssessmentEntity> {
    return this.change(id, async (a, m) => {
      const n = await this.access.revokeAll(a.id, m);
      await this.audit.record(actor, { action: 'assessment.link_revoke', targetType: 'assessment', targetId: a.id, details: { links: n } }, m);
    });
  }

  async cancel(id: string, reason: string, actor: AuditActor): Promise<AssessmentEntity> {
    return this.change(id, async (a, m) => {
      const from = a.status;
      this.transition(a, 'cancelled');
      a.cancelledAt = this.clock.now();
      await this.access.revokeAll(a.id, m);
      await this.audit.record(actor, { action: 'assessment.cancel', targetType: 'assessment', targetId: a.id, changes: { status: { before: from, after: 'cancelled' } }, details: { reason } }, m);
    });
  }

  /** Marks questionnaires whose link has lapsed without answers as expired. Run periodically and on demand. */
  async expireLapsed(): Promise<number> {
    const cutoff = toIsoDate(new Date(this.clock.now().getTime() - this.config.PORTAL_LINK_GRACE_DAYS * DAY_MS));
    const lapsed = await this.assessments.find({ select: { id: true }, where: { status: In([...AWAITING_VENDOR]), dueDate: LessThan(cutoff) } });
    let n = 0;
    for (const { id } of lapsed) {
      await this.change(id, async (a, m) => {
        if (!AWAITING_VENDOR.has(a.status)) return;
        const from = a.status;
        this.transition(a, 'expired');
        await this.audit.record(SYSTEM_ACTOR, { action: 'assessment.expire', targetType: 'assessment', targetId: a.id, changes: { status: { before: from, after: 'expired' } } }, m);
        n++;
      });
    }
    return n;
  }

  async list(query: AssessmentQueryDto): Promise<{ items: Array<AssessmentEntity & { vendor: VendorEntity }>; total: number }> {
    const qb = this.assessments.createQueryBuilder('a').innerJoin('a.vendor', 'v').addSelect(['v.id', 'v.name', 'v.tier']);
    if (query.vendorId) qb.andWhere('a.vendorId = :vendorId', { vendorId: query.vendorId });
    if (query.status) qb.andWhere('a.status = :status', { status: query.status });
    if (query.queue) {
      qb.andWhere('a.status IN (:...waiting)', { waiting: [...AWAITING_VENDOR] }).andWhere('v.archivedAt IS NULL');
      if (query.queue === 'overdue') qb.andWhere('a.dueDate < :today', { today: toIsoDate(this.clock.now()) });
    }
    if (query.queue) qb.orderBy('a.dueDate', 'ASC').addOrderBy('a.id', 'ASC');
    else qb.orderBy('a.createdAt', 'DESC').addOrderBy('a.id', 'ASC');
    qb.skip((query.page - 1) * query.pageSize).take(query.pageSize);
    const [items, total] = await qb.getManyAndCount();
    return { items: items as Array<AssessmentEntity & { vendor: VendorEntity }>, total };
  }

  /**
   * The assessment row. Inside a transaction (`m` given) on MySQL/MariaDB it is locked FOR
   * UPDATE first, so that changes to one assessment queue instead of deadlocking: an answer
   * insert takes a shared lock on its assessment through the foreign key, and two saves that
   * both then update the assessment's score would each wait for the other. (SQLite runs its
   * transactions one at a time anyway.)
   */
  async getEntity(id: string, m?: EntityManager): Promise<AssessmentEntity> {
    const row = await (m && this.byIdForUpdate ? this.byIdForUpdate : this.byId).one(id, m);
    if (!row) throw new AssessmentException(AssessmentErrorCode.NotFound);
    return row.a as unknown as AssessmentEntity;
  }

  async moduleVersionIds(assessmentId: string, m?: EntityManager): Promise<string[]> {
    const kept = this.moduleIdsKept.get(assessmentId);
    if (kept) return kept;
    const ids = (await this.versionIdsOf.many(assessmentId, m)).map((r) => r.m.moduleVersionId as string);
    // None yet is not kept: the assessment may be in a transaction not committed yet.
    if (ids.length > 0) {
      if (this.moduleIdsKept.size >= MODULE_IDS_KEPT) this.moduleIdsKept.delete(this.moduleIdsKept.keys().next().value as string);
      this.moduleIdsKept.set(assessmentId, ids);
    }
    return ids;
  }

  /** Everything known about one assessment: questionnaire, answers, evidence, score and progress. */
  async state(id: string, m?: EntityManager): Promise<AssessmentState> {
    // In a transaction the assessment row is read (and on MySQL locked) before what it guards;
    // outside one, every read at once, the assessment with its vendor.
    const locked = m ? await this.assessmentAndVendor(id, m) : undefined;
    const [{ assessment, vendor }, moduleVersionIds, answerRows, evidence] = await Promise.all([
      locked ?? this.assessmentAndVendor(id),
      this.moduleVersionIds(id, m),
      this.answersOf.many(id, m).then((rows) => rows.map((r) => r.r as unknown as AnswerEntity)),
      this.evidenceOf.many(id, m).then((rows) => rows.map((r) => r.e as unknown as EvidenceFileEntity)),
    ]);
    const questionnaire = await this.questionnaires.compile(moduleVersionIds);
    const answers = new Map(answerRows.map((r) => [r.questionKey, r]));
    const scored = scoredAnswers(answerRows, evidence);
    return {
      assessment,
      vendor,
      questionnaire,
      moduleVersionIds,
      answers,
      evidence,
      scored,
      score: scoreAnswers(questionnaire, scored),
      progress: progressOf(questionnaire, scored),
    };
  }

  private async assessmentAndVendor(id: string, m?: EntityManager): Promise<{ assessment: AssessmentEntity; vendor: VendorEntity }> {
    if (!m) {
      const row = await this.byIdWithVendor.one(id);
      if (!row) throw new AssessmentException(AssessmentErrorCode.NotFound);
      return { assessment: row.a as unknown as AssessmentEntity, vendor: row.v as unknown as VendorEntity };
    }
    const assessment = await this.getEntity(id, m);
    const vendorRow = await this.vendorById.one(assessment.vendorId, m);
    if (!vendorRow) throw new Error(`assessment ${id} names vendor ${assessment.vendorId}, which does not exist`);
    return { assessment, vendor: vendorRow.v as unknown as VendorEntity };
  }

  /** Recomputes and stores the assessment's score, band, counts and residual risk. */
  async recompute(id: string, m?: EntityManager): Promise<AssessmentState> {
    return this.storeScore(await this.state(id, m), m);
  }

  /**
   * Recomputes from a state whose `answers` and `evidence` the caller has just changed in memory
   * (after writing them), without reading everything again, and stores the result.
   */
  async recomputeFrom(s: AssessmentState, m?: EntityManager): Promise<AssessmentState> {
    s.scored = scoredAnswers([...s.answers.values()], s.evidence);
    s.score = scoreAnswers(s.questionnaire, s.scored);
    s.progress = progressOf(s.questionnaire, s.scored);
    return this.storeScore(s, m);
  }

  private async storeScore(s: AssessmentState, m?: EntityManager): Promise<AssessmentState> {
    const { score, progress, vendor, assessment: { id } } = s;
    const residual = residualRisk(vendor.tier, score.band, score.criticalFailures.length);
    const patch = {
      scoreX100: score.overall === null ? null : Math.round(score.overall * 100),
      band: score.band,
      criticalFailures: score.criticalFailures.length,
      answeredCount: progress.answered,
      questionCount: progress.visible.length,
      residualRisk: residual.risk,
    };
    // Derived data: written without moving the row's version, so a change in progress keeps its check.
    if (m?.queryRunner) await this.scoreUpdate.run(m, patch, { id });
    else await this.assessments.update({ id }, { ...patch, version: () => 'version' });
    Object.assign(s.assessment, patch);
    return s;
  }

  /**
   * Applies a state change: the transition is checked, and the row is written only if nobody
   * changed it meanwhile (its version), in one transaction with the audit entries.
   */
  async change(id: string, fn: (a: AssessmentEntity, m: EntityManager) => Promise<void>): Promise<AssessmentEntity> {
    return this.dataSource.transaction(async (m) => {
      const a = await this.getEntity(id, m);
      const version = a.version;
      await fn(a, m);
      a.updatedAt = this.clock.now();
      const { version: _v, vendor: _vendor, ...columns } = a;
      const result = await m.getRepository(AssessmentEntity).update({ id, version }, { ...columns, version: version + 1 });
      if (!result.affected) throw new AssessmentException(AssessmentErrorCode.VersionConflict, 'The assessment was changed at the same time; try again.');
      a.version = version + 1;
      return a;
    });
  }

  /** Moves the status, or throws 409 naming the allowed moves. */
  transition(a: AssessmentEntity, to: AssessmentStatus): void {
    if (!canTransition(a.status, to)) throw this.invalidTransition(a.status, to);
    a.status = to;
  }

  invalidTransition(from: AssessmentStatus, to: AssessmentStatus, why?: string): AssessmentException {
    const allowed = allowedTransitions(from);
    return new AssessmentException(
      AssessmentErrorCode.InvalidTransition,
      `${why ? `${why} ` : ''}An assessment that is ${from} cannot become ${to}; allowed: ${allowed.length ? allowed.join(', ') : 'none (it is closed)'}.`,
      undefined,
      { status: from, requested: to, allowed },
    );
  }

  private async markSent(a: AssessmentEntity, actor: AuditActor, m: EntityManager): Promise<string> {
    const from = a.status;
    this.transition(a, 'sent');
    a.sentAt = this.clock.now();
    const issued = await this.access.issueLink(a.id, this.linkExpiry(a.dueDate), actor.actorId, m, { first: from === 'draft' });
    await this.audit.record(
      actor,
      { action: 'assessment.send', targetType: 'assessment', targetId: a.id, changes: { status: { before: from, after: 'sent' } }, details: { recipient: a.recipientEmail, linkExpiresAt: issued.link.expiresAt.toISOString() } },
      m,
    );
    return issued.token;
  }

  /** Writes the invitation to the outbox in the transaction that issues its link. */
  private async queueInvitation(a: AssessmentEntity, vendor: VendorEntity, token: string, m: EntityManager): Promise<QueuedInvitation> {
    const url = `${this.config.PUBLIC_URL.replace(/\/$/, '')}/portal/t/${token}`;
    const expiresAt = this.linkExpiry(a.dueDate);
    const message = invitationMail({ to: a.recipientEmail, name: a.recipientName, vendorName: vendor.name, dueDate: a.dueDate, expiresAt, url, message: a.message, locale: a.language });
    const mailId = await enqueueMail(m, message, { kind: 'invitation', targetType: 'assessment', targetId: a.id, vendorId: vendor.id, recipientName: a.recipientName }, this.clock.now());
    return { url, expiresAt, mailId };
  }

  /** After the commit: sends the invitation now; if the mail server refuses, the outbox retries it. */
  private async sendInvitation(q: QueuedInvitation): Promise<SentLink> {
    const sent = await this.delivery.deliverNow([q.mailId]);
    return { url: q.url, expiresAt: q.expiresAt, mailed: sent.has(q.mailId) };
  }

  linkExpiry(dueDate: string): Date {
    return new Date(new Date(`${dueDate}T23:59:59.999Z`).getTime() + this.config.PORTAL_LINK_GRACE_DAYS * DAY_MS);
  }

  private checkDueDate(dueDate: string, detail?: string): void {
    if (dueDate < toIsoDate(this.clock.now())) {
      throw new AssessmentException(AssessmentErrorCode.DueDatePassed, detail ?? 'The due date has passed.', [{ path: 'dueDate', message: 'must be today or later', rule: 'minDate' }]);
    }
  }
}

/** Answers and evidence in the form the scorer reads. */
export function scoredAnswers(rows: readonly AnswerEntity[], evidence: readonly EvidenceFileEntity[]): Map<string, ScoredAnswer> {
  const counts = new Map<string, number>();
  for (const e of evidence) counts.set(e.questionKey, (counts.get(e.questionKey) ?? 0) + 1);
  const out = new Map<string, ScoredAnswer>();
  for (const r of rows) {
    out.set(r.questionKey, {
      value: r.value,
      evidenceCount: counts.get(r.questionKey) ?? 0,
      review: { evidence: r.reviewDecision, overrideScore: r.overrideX100 === null ? null : r.overrideX100 / 10_000 },
    });
  }
  for (const [key, n] of counts) if (!out.has(key)) out.set(key, { value: null, evidenceCount: n });
  return out;
}
