import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { JSON_TEXT } from '../database/large-text';

/** One run of the reminder engine (not dry runs): when, whether it synchronised the review cycles, and its report. */
@Entity('reminder_runs')
@Index('ix_reminder_runs_scheduled_started', ['scheduled', 'startedAt'])
export class ReminderRunEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'started_at', type: 'datetime' })
  startedAt: Date;

  @Column({ name: 'finished_at', type: 'datetime', nullable: true })
  finishedAt: Date | null;

  /** Whether this run synchronised the review cycles (done at most every REMINDER_SCHEDULE_EVERY_MINUTES). */
  @Column({ type: 'boolean' })
  scheduled: boolean;

  @Column({ type: 'text', nullable: true, transformer: JSON_TEXT })
  report: Record<string, unknown> | null;
}
