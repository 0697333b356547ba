import { randomUUID } from 'node:crypto';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { JSON_TEXT, LargeTextColumn } from '../database/large-text';
import type { ReminderRule } from './reminder-rules';

/**
 * pending → sending → sent; back to pending with a later `nextAttemptAt` when the mail server
 * refuses (failed after the last attempt). `digest`: waiting for the recipient's daily digest;
 * `skipped`: no longer relevant when its turn came (a digest with nothing left to list).
 */
export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'digest', 'skipped'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** What a reminder mail needs, decided with it so that sending needs no other lookup. */
export interface ReminderPayload {
  vendorName?: string;
  title?: string;
  /** The date the reminder is about and the days left to it (negative when passed). */
  date?: string;
  daysLeft?: number;
  /** A link into the portal for staff (never a vendor portal token). */
  path?: string;
  /** The digest: the reminders it lists, by outbox id. */
  items?: string[];
  /** A mail written with the change that caused it (`mail-outbox.ts`); its body is dropped once sent. */
  mail?: { subject: string; text: string; html?: string; headers?: Record<string, string> };
}

/**
 * Every reminder decided, one row per decision (rule, target, date, occurrence) and recipient,
 * unique together: the decision and its rows are one insert, so two engines or a retried sweep
 * never decide twice. Few indexes on purpose: a catch-up sweep writes tens of thousands of rows.
 * A sender delivers the rows with retries and records the outcome.
 */
@Entity('reminder_outbox')
@Index('uq_reminder_outbox_decision_recipient', ['decision', 'recipient'], { unique: true })
@Index('ix_reminder_outbox_status_next', ['status', 'nextAttemptAt'])
@Index('ix_reminder_outbox_user_status', ['userId', 'status'])
export class ReminderOutboxEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** `decision|recipient`, as the mail's X-Reminder-Key header shows it. */
  @Column({ type: 'varchar', length: 160 })
  key: string;

  /** Rule, target, date and occurrence: the rows of one decision share it (a sweep skips decisions already made). */
  @Column({ type: 'varchar', length: 120 })
  decision: string;

  /** The staff user's id, or `contact` for the vendor contact. */
  @Column({ type: 'varchar', length: 36 })
  recipient: string;

  @Column({ type: 'varchar', length: 40 })
  rule: ReminderRule | 'digest' | `mail.${string}`;

  @Column({ name: 'target_type', type: 'varchar', length: 24 })
  targetType: 'assessment' | 'review' | 'contract' | 'finding' | 'user';

  @Column({ name: 'target_id', type: 'varchar', length: 36 })
  targetId: string;

  @Column({ name: 'vendor_id', type: 'varchar', length: 36, nullable: true })
  vendorId: string | null;

  /** The staff recipient; null for a vendor contact. */
  @Column({ name: 'user_id', type: 'varchar', length: 36, nullable: true })
  userId: string | null;

  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ name: 'recipient_name', type: 'varchar', length: 120 })
  recipientName: string;

  @Column({ type: 'varchar', length: 8 })
  locale: 'en' | 'zh-CN';

  @LargeTextColumn({ transformer: JSON_TEXT })
  payload: ReminderPayload;

  @Column({ type: 'varchar', length: 16 })
  status: OutboxStatus;

  @Column({ type: 'integer' })
  attempts: number;

  @Column({ name: 'decided_at', type: 'datetime' })
  decidedAt: Date;

  /** Not to be sent before this moment (retries back off). */
  @Column({ name: 'next_attempt_at', type: 'datetime' })
  nextAttemptAt: Date;

  /** When a sender took the row; a claim this old whose sender died is taken again. */
  @Column({ name: 'claimed_at', type: 'datetime', nullable: true })
  claimedAt: Date | null;

  @Column({ name: 'sent_at', type: 'datetime', nullable: true })
  sentAt: Date | null;

  /** The digest row that delivered this reminder, for reminders waiting for a digest. */
  @Column({ name: 'digest_id', type: 'varchar', length: 36, nullable: true })
  digestId: string | null;

  @Column({ name: 'last_error', type: 'varchar', length: 500, nullable: true })
  lastError: string | null;
}

/** A decided reminder, not yet tried: what the caller gives, with a fresh id and no attempt made. */
export function newOutboxRow(fields: Omit<ReminderOutboxEntity, 'id' | 'attempts' | 'claimedAt' | 'sentAt' | 'digestId' | 'lastError'>): ReminderOutboxEntity {
  return { id: randomUUID(), attempts: 0, claimedAt: null, sentAt: null, digestId: null, lastError: null, ...fields };
}
