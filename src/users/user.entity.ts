import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import type { Role } from '../auth/permissions';

@Entity('users')
export class UserEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  /** Stored lower-cased; unique. */
  @Index('uq_users_email', { unique: true })
  @Column({ type: 'varchar', length: 254 })
  email: string;

  @Column({ type: 'varchar', length: 120 })
  name: string;

  @Index('ix_users_role')
  @Column({ type: 'varchar', length: 16 })
  role: Role;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 8 })
  locale: string;

  @Column({ type: 'boolean' })
  disabled: boolean;

  @Column({ name: 'failed_logins', type: 'integer' })
  failedLogins: number;

  @Column({ name: 'locked_until', type: 'datetime', nullable: true })
  lockedUntil: Date | null;

  @Column({ name: 'last_login_at', type: 'datetime', nullable: true })
  lastLoginAt: Date | null;

  @Column({ name: 'password_changed_at', type: 'datetime' })
  passwordChangedAt: Date;

  /** How reminders reach this user: one mail each, or one daily digest. */
  @Column({ name: 'reminder_delivery', type: 'varchar', length: 16, default: 'immediate' })
  reminderDelivery: 'immediate' | 'digest';

  /** SHA-256 of the secret in the user's calendar feed URL; null until one is made. */
  @Index('uq_users_calendar_token', { unique: true })
  @Column({ name: 'calendar_token_hash', type: 'varchar', length: 64, nullable: true })
  calendarTokenHash: string | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;
}
