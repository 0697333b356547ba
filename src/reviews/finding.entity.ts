import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, VersionColumn } from 'typeorm';
import { VendorEntity } from '../vendors/vendor.entity';
import type { Severity } from '../questionnaires/questionnaire-module';

export const FINDING_STATUSES = ['open', 'in_remediation', 'resolved', 'risk_accepted'] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

/** A weakness found in a vendor: raised from a failed question when a review completes, or written by a reviewer. */
@Entity('findings')
@Index('ix_findings_vendor_status', ['vendorId', 'status'])
@Index('ix_findings_status_severity', ['status', 'severityRank', 'dueDate'])
@Index('ix_findings_assessment', ['assessmentId'])
@Index('ix_findings_status_risk_until', ['status', 'riskAcceptedUntil'])
export class FindingEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'vendor_id', type: 'varchar', length: 36 })
  vendorId: string;

  @ManyToOne(() => VendorEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'vendor_id', foreignKeyConstraintName: 'fk_findings_vendor' })
  vendor?: VendorEntity;

  @Column({ name: 'assessment_id', type: 'varchar', length: 36, nullable: true })
  assessmentId: string | null;

  /** The failed question that raised it; null for a reviewer's own finding. */
  @Column({ name: 'question_key', type: 'varchar', length: 100, nullable: true })
  questionKey: string | null;

  @Column({ type: 'varchar', length: 300 })
  title: string;

  @Column({ type: 'varchar', length: 16 })
  severity: Severity;

  /** 0 (low) to 3 (critical), for sorting. */
  @Column({ name: 'severity_rank', type: 'integer' })
  severityRank: number;

  @Column({ type: 'text' })
  recommendation: string;

  @Column({ type: 'varchar', length: 24 })
  status: FindingStatus;

  @Column({ name: 'owner_id', type: 'varchar', length: 36, nullable: true })
  ownerId: string | null;

  @Column({ name: 'due_date', type: 'date', utc: true })
  dueDate: string;

  @Column({ name: 'created_by', type: 'varchar', length: 36, nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;

  @Column({ name: 'resolved_at', type: 'datetime', nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  note: string | null;

  @Column({ name: 'risk_accepted_reason', type: 'varchar', length: 2000, nullable: true })
  riskAcceptedReason: string | null;

  @Column({ name: 'risk_accepted_until', type: 'date', nullable: true, utc: true })
  riskAcceptedUntil: string | null;

  @Column({ name: 'risk_accepted_by', type: 'varchar', length: 36, nullable: true })
  riskAcceptedBy: string | null;

  @VersionColumn({ type: 'integer' })
  version: number;
}
