import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AssessmentEntity } from '../assessments/assessment.entity';

/**
 * A link sent to a vendor contact. Only the SHA-256 of its token is stored. A resend supersedes
 * the previous link; staff can revoke one; each expires (by default 30 days after the due date).
 */
@Entity('portal_links')
@Index('ix_portal_links_assessment', ['assessmentId'])
export class PortalLinkEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Index('uq_portal_links_token_hash', { unique: true })
  @Column({ name: 'token_hash', type: 'varchar', length: 64 })
  tokenHash: string;

  @Column({ name: 'assessment_id', type: 'varchar', length: 36 })
  assessmentId: string;

  @ManyToOne(() => AssessmentEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'assessment_id', foreignKeyConstraintName: 'fk_portal_links_assessment' })
  assessment?: AssessmentEntity;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @Column({ name: 'created_by', type: 'varchar', length: 36, nullable: true })
  createdBy: string | null;

  @Column({ name: 'expires_at', type: 'datetime' })
  expiresAt: Date;

  @Column({ name: 'revoked_at', type: 'datetime', nullable: true })
  revokedAt: Date | null;

  /** Set when a resend replaced this link with a new one. */
  @Column({ name: 'superseded_at', type: 'datetime', nullable: true })
  supersededAt: Date | null;

  @Column({ name: 'last_used_at', type: 'datetime', nullable: true })
  lastUsedAt: Date | null;
}
