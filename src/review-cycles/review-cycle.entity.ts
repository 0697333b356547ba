import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, VersionColumn } from 'typeorm';
import { VendorEntity } from '../vendors/vendor.entity';

export const REVIEW_KINDS = ['reassessment', 'contract_renewal', 'risk_acceptance'] as const;
export type ReviewKind = (typeof REVIEW_KINDS)[number];

/** What is stored; `due` and `overdue` follow from the due date (review-cycle-status.ts). */
export const REVIEW_STATES = ['scheduled', 'in_progress', 'done', 'cancelled'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

/**
 * One review of a vendor in one cycle: the yearly (by tier) re-assessment, a contract's renewal
 * decision by its notice deadline, or the end of an accepted risk. `cycleKey` (unique, see
 * `cycleKey()` in review-cycles.service.ts) makes scheduling twice, or from two processes, one record.
 */
@Entity('review_cycles')
@Index('uq_review_cycles_key', ['cycleKey'], { unique: true })
@Index('ix_review_cycles_state_due', ['state', 'dueDate', 'kind'])
@Index('ix_review_cycles_vendor_kind', ['vendorId', 'kind', 'state'])
@Index('ix_review_cycles_subject', ['subjectId', 'state'])
export class ReviewCycleEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'cycle_key', type: 'varchar', length: 120 })
  cycleKey: string;

  @Column({ name: 'vendor_id', type: 'varchar', length: 36 })
  vendorId: string;

  @ManyToOne(() => VendorEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'vendor_id', foreignKeyConstraintName: 'fk_review_cycles_vendor' })
  vendor?: VendorEntity;

  @Column({ type: 'varchar', length: 24 })
  kind: ReviewKind;

  /** The contract or finding reviewed; null for a re-assessment. */
  @Column({ name: 'subject_id', type: 'varchar', length: 36, nullable: true })
  subjectId: string | null;

  @Column({ name: 'due_date', type: 'date', utc: true })
  dueDate: string;

  @Column({ type: 'varchar', length: 16 })
  state: ReviewState;

  /** The assessment a re-assessment sent. */
  @Column({ name: 'assessment_id', type: 'varchar', length: 36, nullable: true })
  assessmentId: string | null;

  @Column({ name: 'started_at', type: 'datetime', nullable: true })
  startedAt: Date | null;

  @Column({ name: 'completed_at', type: 'datetime', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'completed_by', type: 'varchar', length: 36, nullable: true })
  completedBy: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note: string | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;

  @VersionColumn({ type: 'integer' })
  version: number;
}
