import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, Repository } from 'typeorm';
import { AuditService } from '../audit/audit.service';
import type { AuditActor } from '../audit/audit-context';
import { diffFields } from '../audit/field-diff';
import { Clock } from '../clock/clock';
import { AppConfig } from '../config/app-config';
import { addMonths, toIsoDate } from '../common/dates';
import { containsPattern, LIKE_ESCAPE } from '../common/sql-like';
import { PreparedLookup } from '../database/prepared-lookup';
import { UserEntity } from '../users/user.entity';
import type { CreateVendorDto, DataProfileDto, TierInputDto, UpdateVendorDto } from './dto/vendor-input.dto';
import type { VendorQueryDto } from './dto/vendor-query.dto';
import {
  computeInherentTier,
  DataProfile,
  reviewIntervalMonths,
  ReviewCadence,
  TIER_RANK,
  TierResult,
} from './tiering/inherent-risk-tier';
import { VendorEntity } from './vendor.entity';
import type { Tier } from './vendor.enums';
import { VendorErrorCode, VendorException } from './vendor.exception';

const AUDITED_FIELDS = [
  'name',
  'legalEntity',
  'country',
  'website',
  'services',
  'category',
  'ownerId',
  'status',
  'contactName',
  'contactEmail',
  'contactPhone',
  'contactLanguage',
  'dataCategories',
  'volumeBand',
  'accessLevel',
  'criticality',
  'crossBorder',
  'transferCountries',
  'jurisdictions',
  'tierScore',
  'computedTier',
  'tierOverride',
  'tierOverrideReason',
  'tier',
  'nextReviewDate',
  'lastReviewDate',
  'residualRisk',
  'lastAssessmentId',
  'archivedAt',
  'archiveReason',
] as const satisfies ReadonlyArray<keyof VendorEntity>;

const SORT_COLUMNS: Record<string, string> = {
  name: 'v.name',
  createdAt: 'v.createdAt',
  tier: 'v.tierRank',
  nextReviewDate: 'v.nextReviewDate',
};

export interface VendorDetail {
  vendor: VendorEntity;
  tier: TierResult;
  reviewIntervalMonths: number;
}

@Injectable()
export class VendorsService {
  private readonly cadence: ReviewCadence;
  /** A vendor and its owner by id; a staff user by id. Prepared once: they run on every detail, create and change. */
  private readonly byId: PreparedLookup;
  private readonly ownerById: PreparedLookup;

  constructor(
    @InjectRepository(VendorEntity) private readonly vendors: Repository<VendorEntity>,
    @InjectRepository(UserEntity) private readonly users: Repository<UserEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    config: AppConfig,
  ) {
    // The owner's public fields only: a vendor never needs its owner's password hash.
    const ownerFields = ['id', 'email', 'name', 'role', 'locale', 'disabled'];
    this.byId = new PreparedLookup(dataSource, [{ alias: 'v', entity: VendorEntity }, { alias: 'o', entity: UserEntity, properties: ownerFields }], (ds) =>
      ds.getRepository(VendorEntity).createQueryBuilder('v').leftJoin('v.owner', 'o').where('v.id = :key'),
    );
    this.ownerById = new PreparedLookup(dataSource, [{ alias: 'u', entity: UserEntity, properties: ownerFields }], (ds) =>
      ds.getRepository(UserEntity).createQueryBuilder('u').where('u.id = :key'),
    );
    this.cadence = {
      months: {
        critical: config.REVIEW_MONTHS_CRITICAL,
        high: config.REVIEW_MONTHS_HIGH,
        medium: config.REVIEW_MONTHS_MEDIUM,
        low: config.REVIEW_MONTHS_LOW,
      },
    };
  }

  /** The tier and review interval a profile would give, without saving anything. */
  preview(profile: TierInputDto): TierResult & { reviewIntervalMonths: number } {
    const tier = computeInherentTier(profile);
    return { ...tier, reviewIntervalMonths: reviewIntervalMonths(tier.tier, profile.dataCategories, this.cadence) };
  }

  async list(query: VendorQueryDto): Promise<{ items: VendorEntity[]; total: number }> {
    const filtered = () => {
      const qb = this.vendors.createQueryBuilder('v').where(query.archived ? 'v.archivedAt IS NOT NULL' : 'v.archivedAt IS NULL');
      if (query.tier) qb.andWhere('v.tier = :tier', { tier: query.tier });
      if (query.residualRisk === 'none') qb.andWhere('v.residualRisk IS NULL');
      else if (query.residualRisk) qb.andWhere('v.residualRisk = :residualRisk', { residualRisk: query.residualRisk });
      if (query.status) qb.andWhere('v.status = :status', { status: query.status });
      if (query.category) qb.andWhere('v.category = :category', { category: query.category });
      if (query.ownerId) qb.andWhere('v.ownerId = :ownerId', { ownerId: query.ownerId });
      if (query.q) {
        qb.andWhere(`(v.name LIKE :q ${LIKE_ESCAPE} OR v.legalEntity LIKE :q ${LIKE_ESCAPE})`, { q: containsPattern(query.q) });
      }
      return qb;
    };
    const qb = filtered().leftJoin('v.owner', 'o').addSelect(['o.id', 'o.name']);
    const sort = query.sort ?? 'name';
    const desc = sort.startsWith('-');
    qb.orderBy(SORT_COLUMNS[desc ? sort.slice(1) : sort], desc ? 'DESC' : 'ASC');
    if (sort.replace('-', '') !== 'name') qb.addOrderBy('v.name', 'ASC');
    qb.addOrderBy('v.id', 'ASC');
    qb.offset((query.page - 1) * query.pageSize).limit(query.pageSize);
    // The total counts the vendors table alone: the many-to-one owner join cannot change it, and
    // getCount() would emit COUNT(DISTINCT v.id) over the join, which costs SQLite a temp B-tree.
    const count = filtered().select('COUNT(*)', 'total');
    const [items, row] = await Promise.all([qb.getMany(), count.getRawOne<{ total: number | string }>()]);
    return { items, total: Number(row?.total ?? 0) };
  }

  /**
   * Vendors to offer in a page's vendor filter: the first `limit` current ones by name, plus the
   * one already filtered on when it is not among them.
   */
  async choices(selectedId?: string, limit = 100): Promise<Array<{ id: string; name: string }>> {
    const { items } = await this.list({ page: 1, pageSize: limit, sort: 'name' });
    const list = items.map((v) => ({ id: v.id, name: v.name }));
    if (selectedId && !list.some((v) => v.id === selectedId)) {
      const found = await this.findWithOwner(selectedId);
      if (found) list.unshift({ id: found.id, name: found.name });
    }
    return list;
  }

  async get(id: string): Promise<VendorDetail> {
    const vendor = await this.findWithOwner(id);
    if (!vendor) throw new VendorException(VendorErrorCode.NotFound);
    return this.detail(vendor);
  }

  async create(dto: CreateVendorDto, actor: AuditActor): Promise<VendorDetail> {
    const owner = await this.activeOwner(dto.ownerId);
    const now = this.clock.now();
    const vendor = this.vendors.create({
      id: randomUUID(),
      name: dto.name,
      legalEntity: dto.legalEntity || null,
      country: dto.country,
      website: dto.website || null,
      services: dto.services || null,
      category: dto.category,
      ownerId: owner.id,
      status: dto.status ?? 'onboarding',
      contactName: dto.contact.name,
      contactEmail: dto.contact.email,
      contactPhone: dto.contact.phone || null,
      contactLanguage: dto.contact.language,
      ...profileColumns(dto.profile),
      tierOverride: null,
      tierOverrideReason: null,
      tierOverrideBy: null,
      tierOverrideAt: null,
      lastReviewDate: null,
      archivedAt: null,
      archiveReason: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
    } as Partial<VendorEntity>);
    this.applyTier(vendor);
    await this.dataSource.transaction(async (m) => {
      // Every column is set above, the version too: updateEntity(false) spares the SELECT that
      // TypeORM otherwise runs after each insert to read back the @VersionColumn.
      await m.createQueryBuilder().insert().into(VendorEntity).values(vendor).updateEntity(false).execute();
      await this.audit.record(
        actor,
        { action: 'vendor.create', targetType: 'vendor', targetId: vendor.id, changes: diffFields(null, vendor, AUDITED_FIELDS) },
        m,
      );
    });
    vendor.owner = owner;
    return this.detail(vendor);
  }

  async update(id: string, dto: UpdateVendorDto, actor: AuditActor): Promise<VendorDetail> {
    return this.change(id, actor, 'vendor.update', dto.version, async (v) => {
      if (v.archivedAt) throw new VendorException(VendorErrorCode.Archived, 'Restore the vendor before changing it.');
      if (dto.ownerId !== undefined && dto.ownerId !== v.ownerId) v.owner = await this.activeOwner(dto.ownerId);
      if (dto.name !== undefined) v.name = dto.name;
      if (dto.legalEntity !== undefined) v.legalEntity = dto.legalEntity || null;
      if (dto.country !== undefined) v.country = dto.country;
      if (dto.website !== undefined) v.website = dto.website || null;
      if (dto.services !== undefined) v.services = dto.services || null;
      if (dto.category !== undefined) v.category = dto.category;
      if (dto.ownerId !== undefined) v.ownerId = dto.ownerId;
      if (dto.status !== undefined) v.status = dto.status;
      if (dto.contact) {
        v.contactName = dto.contact.name;
        v.contactEmail = dto.contact.email;
        v.contactPhone = dto.contact.phone || null;
        v.contactLanguage = dto.contact.language;
      }
      if (dto.profile) Object.assign(v, profileColumns(dto.profile));
    });
  }

  async overrideTier(id: string, tier: Tier, reason: string, actor: AuditActor): Promise<VendorDetail> {
    return this.change(id, actor, 'vendor.tier_override', undefined, (v) => {
      if (v.archivedAt) throw new VendorException(VendorErrorCode.Archived, 'Restore the vendor before changing it.');
      v.tierOverride = tier;
      v.tierOverrideReason = reason;
      v.tierOverrideBy = actor.actorId;
      v.tierOverrideAt = this.clock.now();
    });
  }

  async clearOverride(id: string, reason: string | undefined, actor: AuditActor): Promise<VendorDetail> {
    return this.change(id, actor, 'vendor.tier_override_clear', undefined, (v) => {
      if (!v.tierOverride) throw new VendorException(VendorErrorCode.NoOverride);
      v.tierOverride = null;
      v.tierOverrideReason = null;
      v.tierOverrideBy = null;
      v.tierOverrideAt = null;
    }, reason ? { reason } : undefined);
  }

  async archive(id: string, reason: string | undefined, actor: AuditActor): Promise<VendorDetail> {
    return this.change(id, actor, 'vendor.archive', undefined, (v) => {
      if (v.archivedAt) throw new VendorException(VendorErrorCode.Archived, 'The vendor is already archived.');
      v.archivedAt = this.clock.now();
      v.archiveReason = reason || null;
    });
  }

  async restore(id: string, actor: AuditActor): Promise<VendorDetail> {
    return this.change(id, actor, 'vendor.restore', undefined, (v) => {
      if (!v.archivedAt) throw new VendorException(VendorErrorCode.NotArchived);
      v.archivedAt = null;
      v.archiveReason = null;
    });
  }

  /**
   * Loads, mutates, recomputes tier and review date, and saves with an optimistic version
   * check, appending the diff to the audit trail in the same transaction.
   */
  private async change(
    id: string,
    actor: AuditActor,
    action: string,
    expectedVersion: number | undefined,
    mutate: (v: VendorEntity) => void | Promise<void>,
    details?: Record<string, unknown>,
  ): Promise<VendorDetail> {
    const current = await this.findWithOwner(id);
    if (!current) throw new VendorException(VendorErrorCode.NotFound);
    if (expectedVersion !== undefined && expectedVersion !== current.version) {
      throw new VendorException(VendorErrorCode.VersionConflict, `You edited version ${expectedVersion}; the vendor is now at version ${current.version}. Reload and apply your change again.`);
    }
    const before = { ...current };
    await mutate(current);
    this.applyTier(current);
    const changes = diffFields(before, current, AUDITED_FIELDS);
    if (Object.keys(changes).length === 0) return this.detail(current);
    current.updatedAt = this.clock.now();
    await this.dataSource.transaction(async (m) => {
      const { owner: _owner, ...columns } = current;
      const result = await m
        .getRepository(VendorEntity)
        .update({ id, version: before.version }, { ...columns, version: before.version + 1 });
      if (!result.affected) {
        throw new VendorException(VendorErrorCode.VersionConflict, 'The vendor was changed while you were editing it. Reload and try again.');
      }
      await this.audit.record(actor, { action, targetType: 'vendor', targetId: id, changes, details: details ?? null }, m);
    });
    current.version = before.version + 1;
    return this.detail(current);
  }

  /**
   * Records a completed assessment on the vendor, in the caller's transaction: its residual
   * risk, the review date, and the next review date from the tier cadence.
   */
  async recordAssessmentOutcome(
    vendorId: string,
    outcome: { assessmentId: string; residualRisk: Tier | null; reviewDate: string },
    actor: AuditActor,
    m: EntityManager,
  ): Promise<VendorEntity> {
    const current = await m.getRepository(VendorEntity).findOneBy({ id: vendorId });
    if (!current) throw new VendorException(VendorErrorCode.NotFound);
    const before = { ...current };
    current.residualRisk = outcome.residualRisk;
    current.residualRiskAt = this.clock.now();
    current.lastAssessmentId = outcome.assessmentId;
    current.lastReviewDate = outcome.reviewDate;
    this.applyTier(current);
    current.updatedAt = this.clock.now();
    const result = await m.getRepository(VendorEntity).update({ id: vendorId, version: before.version }, { ...current, version: before.version + 1 });
    if (!result.affected) throw new VendorException(VendorErrorCode.VersionConflict, 'The vendor was changed at the same time; try again.');
    current.version = before.version + 1;
    await this.audit.record(
      actor,
      { action: 'vendor.assessed', targetType: 'vendor', targetId: vendorId, changes: diffFields(before, current, AUDITED_FIELDS), details: { assessmentId: outcome.assessmentId } },
      m,
    );
    return current;
  }

  /** Sets computed tier, effective tier and next review date from the profile and any override. */
  private applyTier(v: VendorEntity): void {
    const result = computeInherentTier(tierProfileOf(v));
    v.tierScore = result.score;
    v.computedTier = result.tier;
    v.tier = v.tierOverride ?? result.tier;
    v.tierRank = TIER_RANK[v.tier];
    const base = v.lastReviewDate ?? toIsoDate(new Date(v.createdAt));
    v.nextReviewDate = addMonths(base, reviewIntervalMonths(v.tier, v.dataCategories, this.cadence));
  }

  private detail(vendor: VendorEntity): VendorDetail {
    return {
      vendor,
      tier: computeInherentTier(tierProfileOf(vendor)),
      reviewIntervalMonths: reviewIntervalMonths(vendor.tier, vendor.dataCategories, this.cadence),
    };
  }

  /**
   * The vendor and its owner in one query, prepared once (a vendor is read on every detail view
   * and before every change). `findOne` with the relation ran two: a DISTINCT over a subquery of
   * every column of both tables, for its LIMIT 1, then the row itself.
   */
  private async findWithOwner(id: string): Promise<VendorEntity | null> {
    const row = await this.byId.one(id);
    if (!row) return null;
    const vendor = Object.assign(this.vendors.create(), row.v);
    if (row.o.id !== null) vendor.owner = Object.assign(this.users.create(), row.o);
    return vendor;
  }

  private async activeOwner(ownerId: string): Promise<UserEntity> {
    const row = await this.ownerById.one(ownerId);
    const owner = row && Object.assign(this.users.create(), row.u);
    if (!owner || owner.disabled) {
      throw new VendorException(VendorErrorCode.OwnerNotFound, undefined, [{ path: 'ownerId', message: 'must be an active staff user' }]);
    }
    return owner;
  }
}

function profileColumns(p: DataProfileDto): Pick<
  VendorEntity,
  'dataCategories' | 'volumeBand' | 'accessLevel' | 'criticality' | 'crossBorder' | 'transferCountries' | 'jurisdictions'
> {
  return {
    dataCategories: [...p.dataCategories],
    volumeBand: p.volumeBand,
    accessLevel: p.accessLevel,
    criticality: p.criticality,
    crossBorder: p.crossBorder,
    transferCountries: p.crossBorder ? [...(p.transferCountries ?? [])] : [],
    jurisdictions: [...p.jurisdictions],
  };
}

/** The facts of a vendor the inherent-risk tier is computed from. */
export function tierProfileOf(v: VendorEntity): DataProfile {
  return {
    dataCategories: v.dataCategories,
    volumeBand: v.volumeBand,
    accessLevel: v.accessLevel,
    criticality: v.criticality,
    crossBorder: v.crossBorder,
  };
}
