import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, VersionColumn } from 'typeorm';
import { VendorEntity } from '../vendors/vendor.entity';
import type { ControlBand } from '../scoring/scoring';
import type { Tier } from '../vendors/vendor.enums';
import type { AssessmentStatus } from './assessment-lifecycle';

/** A questionnaire sent to one vendor: the module versions it was sent with, its state and its current score. */
@Entity('assessments')
@Index('ix_assessments_vendor_created', ['vendorId', 'createdAt'])
@Index('ix_assessments_status_due', ['status', 'dueDate'])
@Index('ix_assessments_status_submitted', ['status', 'submittedAt'])
export class AssessmentEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'vendor_id', type: 'varchar', length: 36 })
  vendorId: string;

  @ManyToOne(() => VendorEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'vendor_id', foreignKeyConstraintName: 'fk_assessments_vendor' })
  vendor?: VendorEntity;

  @Column({ type: 'varchar', length: 24 })
  status: AssessmentStatus;

  @Column({ name: 'due_date', type: 'date', utc: true })
  dueDate: string;

  @Column({ name: 'recipient_name', type: 'varchar', length: 120 })
  recipientName: string;

  @Column({ name: 'recipient_email', type: 'varchar', length: 254 })
  recipientEmail: string;

  @Column({ type: 'varchar', length: 8 })
  language: 'en' | 'zh-CN';

  /** A note from staff shown to the vendor with the questionnaire. */
  @Column({ type: 'varchar', length: 2000, nullable: true })
  message: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 36, nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;

  @Column({ name: 'sent_at', type: 'datetime', nullable: true })
  sentAt: Date | null;

  @Column({ name: 'submitted_at', type: 'datetime', nullable: true })
  submittedAt: Date | null;

  @Column({ name: 'completed_at', type: 'datetime', nullable: true })
  completedAt: Date | null;

  @Column({ name: 'cancelled_at', type: 'datetime', nullable: true })
  cancelledAt: Date | null;

  @Column({ name: 'reviewer_id', type: 'varchar', length: 36, nullable: true })
  reviewerId: string | null;

  /** The clarification request open for the vendor, when there is one. */
  @Column({ name: 'clarification_message', type: 'varchar', length: 2000, nullable: true })
  clarificationMessage: string | null;

  /** Overall score × 100 (0–10000), recomputed on every change; null while undefined. */
  @Column({ name: 'score_x100', type: 'integer', nullable: true })
  scoreX100: number | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  band: ControlBand | null;

  @Column({ name: 'critical_failures', type: 'integer' })
  criticalFailures: number;

  @Column({ name: 'answered_count', type: 'integer' })
  answeredCount: number;

  @Column({ name: 'question_count', type: 'integer' })
  questionCount: number;

  /** Residual risk the answers give now (final once completed). */
  @Column({ name: 'residual_risk', type: 'varchar', length: 16, nullable: true })
  residualRisk: Tier | null;

  /** Inherent tier of the vendor when the assessment was completed. */
  @Column({ name: 'inherent_tier', type: 'varchar', length: 16, nullable: true })
  inherentTier: Tier | null;

  @VersionColumn({ type: 'integer' })
  version: number;
}
