import { randomUUID } from 'node:crypto';
import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { JSON_TEXT } from '../database/large-text';
import type { AnswerValue } from '../questionnaires/conditions/condition';
import { AssessmentEntity } from './assessment.entity';

export type ReviewDecision = 'accepted' | 'rejected';

/**
 * A vendor's answer to one question, with the reviewer's verdict beside it. `version` grows on
 * every vendor save: a save that started from an older version is refused, so nothing is lost.
 */
@Entity('answers')
@Index('uq_answers_assessment_question', ['assessmentId', 'questionKey'], { unique: true })
export class AnswerEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'assessment_id', type: 'varchar', length: 36 })
  assessmentId: string;

  @ManyToOne(() => AssessmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'assessment_id', foreignKeyConstraintName: 'fk_answers_assessment' })
  assessment?: AssessmentEntity;

  @Column({ name: 'question_key', type: 'varchar', length: 100 })
  questionKey: string;

  @Column({ type: 'text', nullable: true, transformer: JSON_TEXT })
  value: AnswerValue | null;

  @Column({ type: 'text', nullable: true })
  comment: string | null;

  @Column({ type: 'integer' })
  version: number;

  @Column({ name: 'answered_at', type: 'datetime', nullable: true })
  answeredAt: Date | null;

  @Column({ name: 'review_decision', type: 'varchar', length: 16, nullable: true })
  reviewDecision: ReviewDecision | null;

  @Column({ name: 'review_note', type: 'varchar', length: 2000, nullable: true })
  reviewNote: string | null;

  /** The reviewer's score in percent (0–100) × 100, i.e. 0–10000, replacing the automatic one; needs `overrideReason`. */
  @Column({ name: 'override_x100', type: 'integer', nullable: true })
  overrideX100: number | null;

  @Column({ name: 'override_reason', type: 'varchar', length: 2000, nullable: true })
  overrideReason: string | null;

  @Column({ name: 'reviewed_by', type: 'varchar', length: 36, nullable: true })
  reviewedBy: string | null;

  @Column({ name: 'reviewed_at', type: 'datetime', nullable: true })
  reviewedAt: Date | null;

  /** Reopened for the vendor by a clarification request; closed when the vendor submits again. */
  @Column({ name: 'clarification_open', type: 'boolean' })
  clarificationOpen: boolean;

  @Column({ name: 'clarification_note', type: 'varchar', length: 2000, nullable: true })
  clarificationNote: string | null;

  /** For a re-assessment: the earlier assessment this answer was carried over from (null when the vendor gave it here). */
  @Column({ name: 'prefilled_from', type: 'varchar', length: 36, nullable: true })
  prefilledFrom: string | null;

  /** The answer as carried over, so the review can show what the vendor changed. */
  @Column({ name: 'previous_value', type: 'text', nullable: true, transformer: JSON_TEXT })
  previousValue: AnswerValue | null;

  /** When the vendor confirmed or changed a carried-over answer; until then it cannot be submitted. */
  @Column({ name: 'confirmed_at', type: 'datetime', nullable: true })
  confirmedAt: Date | null;
}

/** A new answer row: nothing answered or reviewed yet, unless `fields` says otherwise. */
export function newAnswerRow(assessmentId: string, questionKey: string, fields: Partial<AnswerEntity> = {}): AnswerEntity {
  return Object.assign(new AnswerEntity(), {
    id: randomUUID(),
    assessmentId,
    questionKey,
    value: null,
    comment: null,
    version: 0,
    answeredAt: null,
    reviewDecision: null,
    reviewNote: null,
    overrideX100: null,
    overrideReason: null,
    reviewedBy: null,
    reviewedAt: null,
    clarificationOpen: false,
    clarificationNote: null,
    prefilledFrom: null,
    previousValue: null,
    confirmedAt: null,
    ...fields,
  });
}
