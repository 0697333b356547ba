import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AssessmentEntity } from '../assessments/assessment.entity';

/**
 * The report of an assessment as it stood when its review was completed, one per language:
 * the PDF's bytes in the file store and their SHA-256. Written once, never updated, so the
 * record of what was decided stays as it was whatever changes later.
 */
@Entity('report_snapshots')
@Index('uq_report_snapshots_assessment_locale', ['assessmentId', 'locale'], { unique: true })
export class ReportSnapshotEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'assessment_id', type: 'varchar', length: 36 })
  assessmentId: string;

  @ManyToOne(() => AssessmentEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'assessment_id', foreignKeyConstraintName: 'fk_report_snapshots_assessment' })
  assessment?: AssessmentEntity;

  @Column({ type: 'varchar', length: 8 })
  locale: 'en' | 'zh-CN';

  /** Key of the bytes in the file store (never a path). */
  @Column({ name: 'storage_key', type: 'varchar', length: 32 })
  storageKey: string;

  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column({ type: 'integer' })
  size: number;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date;
}
