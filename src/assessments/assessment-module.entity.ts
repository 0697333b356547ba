import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { QuestionnaireVersionEntity } from '../questionnaires/questionnaire-version.entity';
import { AssessmentEntity } from './assessment.entity';

/** The module versions an assessment was sent with, in order. */
@Entity('assessment_modules')
@Index('ix_assessment_modules_version', ['moduleVersionId'])
export class AssessmentModuleEntity {
  @PrimaryColumn({ name: 'assessment_id', type: 'varchar', length: 36 })
  assessmentId: string;

  @PrimaryColumn({ type: 'integer' })
  position: number;

  @ManyToOne(() => AssessmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'assessment_id', foreignKeyConstraintName: 'fk_assessment_modules_assessment' })
  assessment?: AssessmentEntity;

  @Column({ name: 'module_version_id', type: 'varchar', length: 36 })
  moduleVersionId: string;

  @ManyToOne(() => QuestionnaireVersionEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'module_version_id', foreignKeyConstraintName: 'fk_assessment_modules_version' })
  moduleVersion?: QuestionnaireVersionEntity;
}
