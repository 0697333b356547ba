import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type FieldChanges = Record<string, { before: unknown; after: unknown }>;

/** One appended audit record. Nothing in the code updates or deletes these rows. */
@Entity('audit_events')
@Index('ix_audit_target', ['targetType', 'targetId'])
export class AuditEventEntity {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Index('ix_audit_at')
  @Column({ type: 'datetime' })
  at: Date;

  @Index('ix_audit_actor')
  @Column({ name: 'actor_id', type: 'varchar', length: 36, nullable: true })
  actorId: string | null;

  /** Email as typed for failed logins; the actor's email otherwise. */
  @Column({ name: 'actor_label', type: 'varchar', length: 254, nullable: true })
  actorLabel: string | null;

  @Index('ix_audit_action')
  @Column({ type: 'varchar', length: 64 })
  action: string;

  @Column({ name: 'target_type', type: 'varchar', length: 32, nullable: true })
  targetType: string | null;

  @Column({ name: 'target_id', type: 'varchar', length: 36, nullable: true })
  targetId: string | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  ip: string | null;

  @Column({ name: 'request_id', type: 'varchar', length: 64, nullable: true })
  requestId: string | null;

  @Column({ type: 'simple-json', nullable: true })
  changes: FieldChanges | null;

  @Column({ type: 'simple-json', nullable: true })
  details: Record<string, unknown> | null;
}
