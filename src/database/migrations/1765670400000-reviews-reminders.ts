import { MigrationInterface, QueryRunner, Table, TableColumn, TableIndex } from 'typeorm';
import { boolean, date, datetime, fk, id, integer, text, varchar } from '../migration-columns';

/** Review cycles, the reminder outbox and runs, each user's reminder delivery and calendar secret, and the indexes reminder sweeps read by. */
export class ReviewsReminders1765670400000 implements MigrationInterface {
  name = 'ReviewsReminders1765670400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'review_cycles',
        columns: [
          id(),
          varchar('cycle_key', 120),
          varchar('vendor_id', 36),
          varchar('kind', 24),
          varchar('subject_id', 36, true),
          date('due_date'),
          varchar('state', 16),
          varchar('assessment_id', 36, true),
          datetime('started_at', true),
          datetime('completed_at', true),
          varchar('completed_by', 36, true),
          varchar('note', 2000, true),
          datetime('created_at'),
          datetime('updated_at'),
          integer('version'),
        ],
        indices: [
          { name: 'uq_review_cycles_key', columnNames: ['cycle_key'], isUnique: true },
          { name: 'ix_review_cycles_state_due', columnNames: ['state', 'due_date', 'kind'] },
          { name: 'ix_review_cycles_vendor_kind', columnNames: ['vendor_id', 'kind', 'state'] },
          { name: 'ix_review_cycles_subject', columnNames: ['subject_id', 'state'] },
        ],
        foreignKeys: [fk('fk_review_cycles_vendor', 'vendor_id', 'vendors', 'RESTRICT')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reminder_outbox',
        columns: [
          id(),
          varchar('key', 160),
          varchar('decision', 120),
          varchar('recipient', 36),
          varchar('rule', 40),
          varchar('target_type', 24),
          varchar('target_id', 36),
          varchar('vendor_id', 36, true),
          varchar('user_id', 36, true),
          varchar('email', 254),
          varchar('recipient_name', 120),
          varchar('locale', 8),
          text('payload'),
          varchar('status', 16),
          integer('attempts'),
          datetime('decided_at'),
          datetime('next_attempt_at'),
          datetime('claimed_at', true),
          datetime('sent_at', true),
          varchar('digest_id', 36, true),
          varchar('last_error', 500, true),
        ],
        indices: [
          { name: 'uq_reminder_outbox_decision_recipient', columnNames: ['decision', 'recipient'], isUnique: true },
          { name: 'ix_reminder_outbox_status_next', columnNames: ['status', 'next_attempt_at'] },
          { name: 'ix_reminder_outbox_user_status', columnNames: ['user_id', 'status'] },
        ],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'reminder_runs',
        columns: [id(), datetime('started_at'), datetime('finished_at', true), boolean('scheduled'), text('report', true)],
        indices: [{ name: 'ix_reminder_runs_scheduled_started', columnNames: ['scheduled', 'started_at'] }],
      }),
    );
    await queryRunner.addColumns('users', [
      new TableColumn({ name: 'reminder_delivery', type: 'varchar', length: '16', default: "'immediate'" }),
      new TableColumn({ name: 'calendar_token_hash', type: 'varchar', length: '64', isNullable: true }),
    ]);
    await queryRunner.createIndex('users', new TableIndex({ name: 'uq_users_calendar_token', columnNames: ['calendar_token_hash'], isUnique: true }));
    await queryRunner.createIndex('findings', new TableIndex({ name: 'ix_findings_status_risk_until', columnNames: ['status', 'risk_accepted_until'] }));
    await queryRunner.createIndex('assessments', new TableIndex({ name: 'ix_assessments_status_submitted', columnNames: ['status', 'submitted_at'] }));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropIndex('assessments', 'ix_assessments_status_submitted');
    await queryRunner.dropIndex('findings', 'ix_findings_status_risk_until');
    await queryRunner.dropIndex('users', 'uq_users_calendar_token');
    await queryRunner.dropColumns('users', ['calendar_token_hash', 'reminder_delivery']);
    await queryRunner.dropTable('reminder_runs');
    await queryRunner.dropTable('reminder_outbox');
    await queryRunner.dropTable('review_cycles');
  }
}
