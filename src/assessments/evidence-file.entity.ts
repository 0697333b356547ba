import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AssessmentEntity } from './assessment.entity';

/** A file the vendor attached to an answer. The bytes live in the evidence store under `storageKey`. */
@Entity('evidence_files')
@Index('ix_evidence_assessment_question', ['assessmentId', 'questionKey'])
export class EvidenceFileEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'assessment_id', type: 'varchar', length: 36 })
  assessmentId: string;

  @ManyToOne(() => AssessmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'assessment_id', foreignKeyConstraintName: 'fk_evidence_assessment' })
  assessment?: AssessmentEntity;

  @Column({ name: 'question_key', type: 'varchar', length: 100 })
  questionKey: string;

  @Column({ name: 'storage_key', type: 'varchar', length: 64 })
  storageKey: string;

  @Column({ type: 'varchar', length: 64 })
  sha256: string;

  @Column({ type: 'integer' })
  size: number;

  @Column({ type: 'varchar', length: 100 })
  mime: string;

  @Column({ type: 'varchar', length: 255 })
  name: string;

  @Column({ name: 'uploaded_at', type: 'datetime' })
  uploadedAt: Date;

  /** Removed by the vendor before submitting; the row stays for the record. */
  @Column({ name: 'removed_at', type: 'datetime', nullable: true })
  removedAt: Date | null;
}
