import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { DataSource, In, IsNull, Repository } from 'typeorm';
import { AssessmentEntity } from '../assessments/assessment.entity';
import { AssessmentState, AssessmentsService } from '../assessments/assessments.service';
import { Clock } from '../clock/clock';
import { addDays, toIsoDate } from '../common/dates';
import { isUniqueViolation } from '../database/insert-ignore';
import { ContractsService } from '../contracts/contracts.service';
import { LOCALES, Locale } from '../i18n/i18n';
import { QuestionnairesService } from '../questionnaires/questionnaires.service';
import { buildReviewSheet } from '../reviews/review-sheet';
import { FindingEntity } from '../reviews/finding.entity';
import { EvidenceStore } from '../storage/evidence-store';
import { UserEntity } from '../users/user.entity';
import { computeInherentTier } from '../vendors/tiering/inherent-risk-tier';
import { TIERS, type Tier } from '../vendors/vendor.enums';
import { ContractEntity } from '../contracts/contract.entity';
import { ReviewCycleEntity } from '../review-cycles/review-cycle.entity';
import { VendorEntity } from '../vendors/vendor.entity';
import { tierProfileOf } from '../vendors/vendors.service';
import { renderPortfolioReport } from './pdf/portfolio-report.pdf';
import { renderVendorSummary } from './pdf/vendor-summary.pdf';
import { buildPortfolioReport, PortfolioFacts } from './portfolio-report.model';
import { ReportErrorCode, ReportException } from './report.exception';
import { ReportSnapshotEntity } from './report-snapshot.entity';
import { buildVendorSummary, VendorReportFacts } from './vendor-report.model';

export interface ReportFile {
  fileName: string;
  /** The PDF's bytes as they are produced. */
  stream: Readable;
  /** Whether the file is the snapshot stored when the assessment was completed. */
  snapshot: boolean;
}

const UNRESOLVED = ['open', 'in_remediation', 'risk_accepted'];

/**
 * The PDF reports: a vendor's risk summary (its current assessment, open findings, contracts),
 * an assessment's report (the snapshot stored at completion, or a provisional one before), and
 * the snapshots themselves. Reads the facts, builds the model (pure), renders it (pdfkit).
 */
@Injectable()
export class ReportsService {
  constructor(
    @InjectRepository(ReportSnapshotEntity) private readonly snapshots: Repository<ReportSnapshotEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly assessments: AssessmentsService,
    private readonly contracts: ContractsService,
    private readonly questionnaires: QuestionnairesService,
    private readonly store: EvidenceStore,
    private readonly clock: Clock,
  ) {}

  /** The vendor's risk summary: its last completed assessment (else its latest one), unresolved findings and contract coverage, as of now. */
  async vendorSummary(vendorId: string, locale: Locale, appendix: boolean): Promise<ReportFile> {
    const vendor = await this.dataSource.getRepository(VendorEntity).findOneBy({ id: vendorId });
    if (!vendor) throw new ReportException(ReportErrorCode.VendorNotFound, 'There is no such vendor.');
    const assessmentId = vendor.lastAssessmentId ?? (await this.latestAssessmentId(vendor.id));
    const state = assessmentId ? await this.assessments.state(assessmentId) : null;
    const facts = await this.facts(vendor, state, 'vendor', locale);
    return { fileName: fileName('risk-summary', vendor.name, facts.generatedAt, locale), stream: await this.render(facts, locale, appendix), snapshot: false };
  }

  /**
   * An assessment's report. Once the assessment is completed this is the snapshot stored at
   * completion, unchanged; before, it is drawn from the answers so far and marked provisional.
   */
  async assessmentReport(assessmentId: string, locale: Locale, appendix: boolean): Promise<ReportFile> {
    const snap = await this.snapshots.findOneBy({ assessmentId, locale });
    if (snap) {
      const data = await this.store.read(snap.storageKey);
      const a = await this.dataSource.getRepository(AssessmentEntity).findOne({ where: { id: assessmentId }, relations: { vendor: true } });
      return { fileName: fileName('assessment-report', a?.vendor?.name ?? 'vendor', snap.createdAt, locale), stream: Readable.from([data]), snapshot: true };
    }
    const state = await this.loadState(assessmentId);
    const facts = await this.facts(state.vendor, state, 'assessment', locale);
    return { fileName: fileName('assessment-report', state.vendor.name, facts.generatedAt, locale), stream: await this.render(facts, locale, appendix), snapshot: false };
  }

  /**
   * Stores the report of a just-completed assessment in every language, with the appendix, as
   * the record of what was decided. A snapshot, once stored, is never replaced.
   */
  async snapshotAssessment(assessmentId: string): Promise<ReportSnapshotEntity[]> {
    const state = await this.loadState(assessmentId);
    const stored: ReportSnapshotEntity[] = [];
    for (const locale of LOCALES) {
      if (await this.snapshots.existsBy({ assessmentId, locale })) continue;
      const facts = await this.facts(state.vendor, state, 'assessment', locale);
      const data = await collect(await this.render(facts, locale, true));
      const object = await this.store.put(data);
      const row = this.snapshots.create({ id: randomUUID(), assessmentId, locale, storageKey: object.key, sha256: object.sha256, size: object.size, createdAt: facts.generatedAt });
      try {
        await this.snapshots.insert(row);
        stored.push(row);
      } catch (err) {
        await this.store.remove(object.key);
        if (!isUniqueViolation(err)) throw err;
      }
    }
    return stored;
  }

  /** The portfolio report: every active vendor by tier and residual risk, what is overdue or coming, the worst open findings and the clause gaps. */
  async portfolio(locale: Locale): Promise<ReportFile> {
    const facts = await this.portfolioFacts(locale);
    const stream = (await renderPortfolioReport(buildPortfolioReport(facts, locale))) as unknown as Readable;
    return { fileName: `portfolio-report-${toIsoDate(facts.generatedAt)}-${locale}.pdf`, stream, snapshot: false };
  }

  /** What the portfolio report shows, read in a handful of queries whatever the number of vendors. */
  async portfolioFacts(locale: Locale, limits = { overdue: 50, upcoming: 60, findings: 25, clauseGaps: 50 }): Promise<PortfolioFacts> {
    const generatedAt = this.clock.now();
    const today = toIsoDate(generatedAt);
    const horizon = addDays(today, 90);
    const vendors = this.dataSource.getRepository(VendorEntity);
    const heatRows = await vendors
      .createQueryBuilder('v')
      .select('v.tier', 'tier')
      .addSelect('v.residualRisk', 'risk')
      .addSelect('COUNT(*)', 'n')
      .where('v.archivedAt IS NULL')
      .groupBy('v.tier')
      .addGroupBy('v.residualRisk')
      .getRawMany<{ tier: Tier; risk: Tier | null; n: string | number }>();
    const heat = Object.fromEntries(TIERS.map((tier) => [tier, { low: 0, medium: 0, high: 0, critical: 0, none: 0 }])) as PortfolioFacts['heat'];
    for (const r of heatRows) if (heat[r.tier]) heat[r.tier][r.risk ?? 'none'] += Number(r.n);

    const overdueQuery = vendors.createQueryBuilder('v').where('v.archivedAt IS NULL').andWhere('v.nextReviewDate < :today', { today });
    const cyclesQuery = this.dataSource
      .getRepository(ReviewCycleEntity)
      .createQueryBuilder('c')
      .innerJoin('c.vendor', 'v')
      .where('c.state IN (:...states)', { states: ['scheduled', 'in_progress'] })
      .andWhere('c.dueDate >= :today AND c.dueDate <= :horizon', { today, horizon })
      .andWhere('v.archivedAt IS NULL');
    const findingsQuery = this.dataSource
      .getRepository(FindingEntity)
      .createQueryBuilder('f')
      .innerJoin(VendorEntity, 'v', 'v.id = f.vendorId')
      .where('f.status IN (:...open)', { open: ['open', 'in_remediation'] })
      .andWhere('v.archivedAt IS NULL');
    const [overdue, overdueTotal, cycles, cyclesTotal, findings, findingsTotal, active] = await Promise.all([
      overdueQuery.clone().select(['v.id', 'v.name', 'v.tier', 'v.ownerId', 'v.nextReviewDate']).orderBy('v.nextReviewDate', 'ASC').addOrderBy('v.name', 'ASC').take(limits.overdue).getMany(),
      overdueQuery.getCount(),
      cyclesQuery.clone().addSelect(['v.name']).orderBy('c.dueDate', 'ASC').addOrderBy('c.id', 'ASC').limit(limits.upcoming).getRawAndEntities(),
      cyclesQuery.getCount(),
      findingsQuery.clone().addSelect('v.name', 'vendor_name').orderBy('f.severityRank', 'DESC').addOrderBy('f.dueDate', 'ASC').addOrderBy('f.id', 'ASC').limit(limits.findings).getRawAndEntities(),
      findingsQuery.getCount(),
      vendors.find({
        // What the clause gap analysis reads of each vendor (its data profile), and its name and tier.
        select: { id: true, name: true, tier: true, category: true, dataCategories: true, jurisdictions: true, crossBorder: true, volumeBand: true },
        where: { archivedAt: IsNull() },
        order: { name: 'ASC', id: 'ASC' },
      }),
    ]);

    const gaps = await this.contracts.gapCountsOfVendors(active);
    const withGaps = active
      .map((v) => ({ v, g: gaps.get(v.id)! }))
      .filter(({ g }) => g.gaps > 0)
      .sort((a, b) => b.g.missing - a.g.missing || b.g.partial - a.g.partial || a.v.name.localeCompare(b.v.name));

    // Names behind ids: owners, contracts and findings the upcoming reviews are about.
    const cycleRows = cycles.entities;
    const contractIds = cycleRows.filter((c) => c.kind === 'contract_renewal' && c.subjectId).map((c) => c.subjectId!);
    const findingIds = cycleRows.filter((c) => c.kind === 'risk_acceptance' && c.subjectId).map((c) => c.subjectId!);
    const ownerIds = [...new Set([...overdue.map((v) => v.ownerId), ...findings.entities.map((f) => f.ownerId)].filter((x): x is string => !!x))];
    const [users, contractTitles, findingTitles] = await Promise.all([
      ownerIds.length ? this.dataSource.getRepository(UserEntity).find({ select: { id: true, name: true }, where: { id: In(ownerIds) } }) : [],
      contractIds.length ? this.dataSource.getRepository(ContractEntity).find({ select: { id: true, title: true }, where: { id: In(contractIds) } }) : [],
      findingIds.length ? this.dataSource.getRepository(FindingEntity).find({ select: { id: true, title: true }, where: { id: In(findingIds) } }) : [],
    ]);
    const names = new Map(users.map((u) => [u.id, u.name]));
    const texts = await this.findingTexts(findings.entities, locale);
    const subjects = new Map([...contractTitles, ...findingTitles].map((x) => [x.id, x.title]));
    const vendorNameOfCycle = new Map(cycles.raw.map((r: Record<string, string>) => [r.c_id, r.v_name]));
    const vendorNameOfFinding = new Map(findings.raw.map((r: Record<string, string>) => [r.f_id, r.vendor_name]));

    return {
      generatedAt,
      heat,
      overdue: { total: overdueTotal, rows: overdue.map((v) => ({ vendor: v.name, tier: v.tier, owner: names.get(v.ownerId) ?? '—', due: v.nextReviewDate })) },
      upcoming: {
        total: cyclesTotal,
        rows: cycleRows.map((c) => ({ date: c.dueDate, kind: c.kind, vendor: vendorNameOfCycle.get(c.id) ?? '—', subject: c.subjectId ? (subjects.get(c.subjectId) ?? null) : null })),
      },
      findings: {
        total: findingsTotal,
        rows: findings.entities.map((f) => ({
          vendor: vendorNameOfFinding.get(f.id) ?? '—',
          title: texts.get(f.id)?.title ?? f.title,
          severity: f.severity,
          status: f.status,
          owner: f.ownerId ? (names.get(f.ownerId) ?? '—') : '—',
          due: f.dueDate,
        })),
      },
      clauseGaps: {
        total: withGaps.length,
        rows: withGaps.slice(0, limits.clauseGaps).map(({ v, g }) => ({
          vendor: v.name,
          tier: v.tier,
          required: g.required,
          missing: g.missing,
          partial: g.partial,
          paramGaps: g.paramGaps,
        })),
      },
    };
  }

  /** The snapshots of an assessment (for its page and the API). */
  async snapshotsOf(assessmentId: string): Promise<ReportSnapshotEntity[]> {
    return this.snapshots.find({ where: { assessmentId }, order: { locale: 'ASC' } });
  }

  private async render(facts: VendorReportFacts, locale: Locale, appendix: boolean): Promise<Readable> {
    return (await renderVendorSummary(buildVendorSummary(facts, locale, { appendix }))) as unknown as Readable;
  }

  private async loadState(assessmentId: string): Promise<AssessmentState> {
    const exists = await this.dataSource.getRepository(AssessmentEntity).existsBy({ id: assessmentId });
    if (!exists) throw new ReportException(ReportErrorCode.AssessmentNotFound, 'There is no such assessment.');
    return this.assessments.state(assessmentId);
  }

  private async latestAssessmentId(vendorId: string): Promise<string | null> {
    const a = await this.dataSource.getRepository(AssessmentEntity).findOne({
      select: { id: true },
      where: { vendorId, status: In(['sent', 'in_progress', 'submitted', 'in_review', 'clarification_requested', 'completed', 'expired']) },
      order: { createdAt: 'DESC', id: 'DESC' },
    });
    return a?.id ?? null;
  }

  /** Everything the report says, read now: vendor, assessment, previous scores, findings, contracts and the names behind ids. */
  private async facts(vendor: VendorEntity, state: AssessmentState | null, scope: 'vendor' | 'assessment', locale: Locale): Promise<VendorReportFacts> {
    const generatedAt = this.clock.now();
    const a = state?.assessment ?? null;
    const findingsQuery = this.dataSource.getRepository(FindingEntity).createQueryBuilder('f');
    if (scope === 'assessment' && a) findingsQuery.where('f.assessmentId = :a', { a: a.id });
    else if (a) findingsQuery.where('f.vendorId = :v', { v: vendor.id }).andWhere('(f.status IN (:...s) OR f.assessmentId = :a)', { s: UNRESOLVED, a: a.id });
    else findingsQuery.where('f.vendorId = :v', { v: vendor.id }).andWhere('f.status IN (:...s)', { s: UNRESOLVED });
    findingsQuery.orderBy('f.severityRank', 'DESC').addOrderBy('f.dueDate', 'ASC').addOrderBy('f.id', 'ASC');

    const [findings, previous, contracts] = await Promise.all([findingsQuery.getMany(), a ? this.previousScores(a) : null, this.contracts.vendorReport(vendor.id)]);
    const userIds = [...new Set([vendor.ownerId, a?.reviewerId, ...findings.map((f) => f.ownerId)].filter((x): x is string => !!x))];
    const users = userIds.length ? await this.dataSource.getRepository(UserEntity).find({ select: { id: true, name: true }, where: { id: In(userIds) } }) : [];
    const names = new Map(users.map((u) => [u.id, u.name]));
    const tier = computeInherentTier(tierProfileOf(vendor));
    const texts = await this.findingTexts(findings, locale);

    return {
      generatedAt,
      vendor: {
        id: vendor.id,
        name: vendor.name,
        legalEntity: vendor.legalEntity,
        category: vendor.category,
        country: vendor.country,
        ownerName: names.get(vendor.ownerId) ?? '—',
        tier: vendor.tier,
        tierScore: tier.score,
        tierBreakdown: tier.breakdown,
        tierFloors: tier.floors,
        tierOverride: vendor.tierOverride ? { tier: vendor.tierOverride, reason: vendor.tierOverrideReason ?? '' } : null,
        residualRisk: vendor.residualRisk,
        lastReviewDate: vendor.lastReviewDate,
        nextReviewDate: vendor.nextReviewDate,
        archived: vendor.archivedAt !== null,
      },
      assessment:
        a && state
          ? {
              id: a.id,
              status: a.status,
              modules: state.questionnaire.modules.map((m) => ({ key: m.key, version: m.version, title: m.title })),
              sentAt: a.sentAt,
              submittedAt: a.submittedAt,
              completedAt: a.completedAt,
              dueDate: a.dueDate,
              reviewerName: a.reviewerId ? (names.get(a.reviewerId) ?? null) : null,
              residualRisk: a.residualRisk,
              answeredCount: state.progress.answered,
              questionCount: state.progress.visible.length,
            }
          : null,
      sheet: state ? buildReviewSheet(state, locale) : null,
      previous,
      findings: findings.map((f) => {
        return {
          id: f.id,
          questionKey: f.questionKey,
          title: texts.get(f.id)?.title ?? f.title,
          recommendation: texts.get(f.id)?.recommendation ?? f.recommendation,
          severity: f.severity,
          status: f.status,
          ownerName: f.ownerId ? (names.get(f.ownerId) ?? null) : null,
          dueDate: f.dueDate,
          riskAcceptedUntil: f.riskAcceptedUntil,
        };
      }),
      contracts: {
        list: contracts.contracts.map((c) => ({ title: c.contract.title, status: c.status, expiryDate: c.contract.expiryDate })),
        gaps: contracts.gaps,
      },
    };
  }

  /**
   * Findings are stored in English, as their module words them. Those raised from a question
   * read in the report's language: the question's text and the module's recommendation, from
   * the module versions of the assessment that raised them (compiled versions are cached).
   */
  private async findingTexts(findings: readonly FindingEntity[], locale: Locale): Promise<Map<string, { title: string; recommendation: string }>> {
    const out = new Map<string, { title: string; recommendation: string }>();
    const fromQuestions = findings.filter((f) => f.questionKey && f.assessmentId);
    const assessmentIds = [...new Set(fromQuestions.map((f) => f.assessmentId!))];
    const questionnaires = new Map(
      await Promise.all(assessmentIds.map(async (id) => [id, await this.questionnaires.compile(await this.assessments.moduleVersionIds(id))] as const)),
    );
    for (const f of fromQuestions) {
      const q = questionnaires.get(f.assessmentId!)?.questions.get(f.questionKey!)?.question;
      if (q?.finding) out.set(f.id, { title: q.text[locale], recommendation: q.finding.recommendation[locale] });
    }
    return out;
  }

  /** Section scores of the vendor's completed assessment before `a`, for the change per section. */
  private async previousScores(a: AssessmentEntity): Promise<VendorReportFacts['previous']> {
    const qb = this.dataSource
      .getRepository(AssessmentEntity)
      .createQueryBuilder('a')
      .select(['a.id', 'a.completedAt'])
      .where('a.vendorId = :v', { v: a.vendorId })
      .andWhere('a.status = :s', { s: 'completed' })
      .andWhere('a.id <> :id', { id: a.id });
    if (a.completedAt) qb.andWhere('a.completedAt < :at', { at: a.completedAt });
    const prev = await qb.orderBy('a.completedAt', 'DESC').addOrderBy('a.id', 'DESC').getOne();
    if (!prev?.completedAt) return null;
    const state = await this.assessments.state(prev.id);
    return { completedAt: prev.completedAt, sections: Object.fromEntries(state.score.sections.map((s) => [s.key, s.score])) };
  }
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** "risk-summary-paycrest-payments-ltd-2027-03-01-en.pdf"; names without Latin letters keep their own characters. */
function fileName(kind: string, vendorName: string, at: Date, locale: Locale): string {
  const slug =
    vendorName
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'vendor';
  return `${kind}-${slug}-${toIsoDate(at)}-${locale}.pdf`;
}
