import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, VersionColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import type {
  AccessLevel,
  ContactLanguage,
  Criticality,
  DataCategory,
  Jurisdiction,
  Tier,
  VendorCategory,
  VendorStatus,
  VolumeBand,
} from './vendor.enums';

@Entity('vendors')
// Every list filters on archived_at, then on at most a few of tier, status, category and owner,
// and sorts by name (or tier, next review, creation). The indexes follow those shapes, so a
// filtered page and its total are read from the index.
@Index('ix_vendors_archived_name', ['archivedAt', 'name'])
@Index('ix_vendors_tier_status_name', ['archivedAt', 'tier', 'status', 'name'])
@Index('ix_vendors_status_name', ['archivedAt', 'status', 'name'])
@Index('ix_vendors_category_name', ['archivedAt', 'category', 'name'])
@Index('ix_vendors_owner_name', ['ownerId', 'archivedAt', 'name'])
@Index('ix_vendors_tier_rank', ['archivedAt', 'tierRank', 'name'])
@Index('ix_vendors_next_review', ['archivedAt', 'nextReviewDate'])
@Index('ix_vendors_created', ['archivedAt', 'createdAt'])
export class VendorEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ type: 'varchar', length: 200 })
  name: string;

  @Column({ name: 'legal_entity', type: 'varchar', length: 200, nullable: true })
  legalEntity: string | null;

  /** ISO 3166-1 alpha-2 country of the vendor's establishment. */
  @Column({ type: 'varchar', length: 2 })
  country: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  website: string | null;

  @Column({ type: 'text', nullable: true })
  services: string | null;

  @Column({ type: 'varchar', length: 32 })
  category: VendorCategory;

  @Column({ name: 'owner_id', type: 'varchar', length: 36 })
  ownerId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'fk_vendors_owner' })
  owner?: UserEntity;

  @Column({ type: 'varchar', length: 16 })
  status: VendorStatus;

  @Column({ name: 'contact_name', type: 'varchar', length: 120 })
  contactName: string;

  @Column({ name: 'contact_email', type: 'varchar', length: 254 })
  contactEmail: string;

  @Column({ name: 'contact_phone', type: 'varchar', length: 40, nullable: true })
  contactPhone: string | null;

  @Column({ name: 'contact_language', type: 'varchar', length: 8 })
  contactLanguage: ContactLanguage;

  @Column({ name: 'data_categories', type: 'simple-json' })
  dataCategories: DataCategory[];

  @Column({ name: 'volume_band', type: 'varchar', length: 16 })
  volumeBand: VolumeBand;

  @Column({ name: 'access_level', type: 'varchar', length: 16 })
  accessLevel: AccessLevel;

  @Column({ type: 'varchar', length: 16 })
  criticality: Criticality;

  @Column({ name: 'cross_border', type: 'boolean' })
  crossBorder: boolean;

  @Column({ name: 'transfer_countries', type: 'simple-json' })
  transferCountries: string[];

  @Column({ type: 'simple-json' })
  jurisdictions: Jurisdiction[];

  @Column({ name: 'tier_score', type: 'integer' })
  tierScore: number;

  /** The tier the intake gives (points and floors). */
  @Column({ name: 'computed_tier', type: 'varchar', length: 16 })
  computedTier: Tier;

  @Column({ name: 'tier_override', type: 'varchar', length: 16, nullable: true })
  tierOverride: Tier | null;

  @Column({ name: 'tier_override_reason', type: 'varchar', length: 1000, nullable: true })
  tierOverrideReason: string | null;

  @Column({ name: 'tier_override_by', type: 'varchar', length: 36, nullable: true })
  tierOverrideBy: string | null;

  @Column({ name: 'tier_override_at', type: 'datetime', nullable: true })
  tierOverrideAt: Date | null;

  /** The tier in force: the override when there is one, else the computed tier. */
  @Column({ type: 'varchar', length: 16 })
  tier: Tier;

  /** 0 (low) to 3 (critical), for sorting by tier. */
  @Column({ name: 'tier_rank', type: 'integer' })
  tierRank: number;

  // utc: MySQL drivers hand DATE back as UTC midnight; read it as such, or a server west of UTC
  // shows the day before.
  @Column({ name: 'last_review_date', type: 'date', nullable: true, utc: true })
  lastReviewDate: string | null;

  @Column({ name: 'next_review_date', type: 'date', utc: true })
  nextReviewDate: string;

  /** Residual risk from the last completed assessment (domain.md §3), null before the first. */
  @Column({ name: 'residual_risk', type: 'varchar', length: 16, nullable: true })
  residualRisk: Tier | null;

  @Column({ name: 'residual_risk_at', type: 'datetime', nullable: true })
  residualRiskAt: Date | null;

  @Column({ name: 'last_assessment_id', type: 'varchar', length: 36, nullable: true })
  lastAssessmentId: string | null;

  @Column({ name: 'archived_at', type: 'datetime', nullable: true })
  archivedAt: Date | null;

  @Column({ name: 'archive_reason', type: 'varchar', length: 1000, nullable: true })
  archiveReason: string | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;

  @VersionColumn({ type: 'integer' })
  version: number;
}
