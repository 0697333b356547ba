import { MigrationInterface, QueryRunner, Table, TableColumnOptions } from 'typeorm';

/**
 * Users, sessions, vendors and the audit trail. Written with the Table API and
 * portable column types so that it runs unchanged on SQLite and MySQL/MariaDB.
 */
const id = (): TableColumnOptions => ({ name: 'id', type: 'varchar', length: '36', isPrimary: true });
const varchar = (name: string, length: number, nullable = false): TableColumnOptions => ({
  name,
  type: 'varchar',
  length: String(length),
  isNullable: nullable,
});
const datetime = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'datetime', isNullable: nullable });
const integer = (name: string): TableColumnOptions => ({ name, type: 'integer' });
const text = (name: string, nullable = false): TableColumnOptions => ({ name, type: 'text', isNullable: nullable });

export class InitialSchema1764374400000 implements MigrationInterface {
  name = 'InitialSchema1764374400000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'users',
        columns: [
          id(),
          varchar('email', 254),
          varchar('name', 120),
          varchar('role', 16),
          varchar('password_hash', 255),
          varchar('locale', 8),
          { name: 'disabled', type: 'boolean' },
          integer('failed_logins'),
          datetime('locked_until', true),
          datetime('last_login_at', true),
          datetime('password_changed_at'),
          datetime('created_at'),
          datetime('updated_at'),
        ],
        indices: [
          { name: 'uq_users_email', columnNames: ['email'], isUnique: true },
          { name: 'ix_users_role', columnNames: ['role'] },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'sessions',
        columns: [
          id(),
          varchar('token_hash', 64),
          varchar('user_id', 36),
          datetime('created_at'),
          datetime('last_seen_at'),
          datetime('expires_at'),
          datetime('revoked_at', true),
          varchar('ip', 64, true),
          varchar('user_agent', 255, true),
        ],
        indices: [
          { name: 'uq_sessions_token_hash', columnNames: ['token_hash'], isUnique: true },
          { name: 'ix_sessions_user', columnNames: ['user_id'] },
        ],
        foreignKeys: [
          {
            name: 'fk_sessions_user',
            columnNames: ['user_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'CASCADE',
            // Explicit, as the entities say: MariaDB would otherwise record RESTRICT.
            onUpdate: 'NO ACTION',
          },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'vendors',
        columns: [
          id(),
          varchar('name', 200),
          varchar('legal_entity', 200, true),
          varchar('country', 2),
          varchar('website', 255, true),
          text('services', true),
          varchar('category', 32),
          varchar('owner_id', 36),
          varchar('status', 16),
          varchar('contact_name', 120),
          varchar('contact_email', 254),
          varchar('contact_phone', 40, true),
          varchar('contact_language', 8),
          text('data_categories'),
          varchar('volume_band', 16),
          varchar('access_level', 16),
          varchar('criticality', 16),
          { name: 'cross_border', type: 'boolean' },
          text('transfer_countries'),
          text('jurisdictions'),
          integer('tier_score'),
          varchar('computed_tier', 16),
          varchar('tier_override', 16, true),
          varchar('tier_override_reason', 1000, true),
          varchar('tier_override_by', 36, true),
          datetime('tier_override_at', true),
          varchar('tier', 16),
          integer('tier_rank'),
          { name: 'last_review_date', type: 'date', isNullable: true },
          { name: 'next_review_date', type: 'date' },
          datetime('archived_at', true),
          varchar('archive_reason', 1000, true),
          datetime('created_at'),
          datetime('updated_at'),
          integer('version'),
        ],
        indices: [
          { name: 'ix_vendors_archived_name', columnNames: ['archived_at', 'name'] },
          { name: 'ix_vendors_tier_status_name', columnNames: ['archived_at', 'tier', 'status', 'name'] },
          { name: 'ix_vendors_status_name', columnNames: ['archived_at', 'status', 'name'] },
          { name: 'ix_vendors_category_name', columnNames: ['archived_at', 'category', 'name'] },
          { name: 'ix_vendors_owner_name', columnNames: ['owner_id', 'archived_at', 'name'] },
          { name: 'ix_vendors_tier_rank', columnNames: ['archived_at', 'tier_rank', 'name'] },
          { name: 'ix_vendors_next_review', columnNames: ['archived_at', 'next_review_date'] },
          { name: 'ix_vendors_created', columnNames: ['archived_at', 'created_at'] },
        ],
        foreignKeys: [
          {
            name: 'fk_vendors_owner',
            columnNames: ['owner_id'],
            referencedTableName: 'users',
            referencedColumnNames: ['id'],
            onDelete: 'RESTRICT',
            onUpdate: 'NO ACTION',
          },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'audit_events',
        columns: [
          { name: 'id', type: 'integer', isPrimary: true, isGenerated: true, generationStrategy: 'increment' },
          datetime('at'),
          varchar('actor_id', 36, true),
          varchar('actor_label', 254, true),
          varchar('action', 64),
          varchar('target_type', 32, true),
          varchar('target_id', 36, true),
          varchar('ip', 64, true),
          varchar('request_id', 64, true),
          text('changes', true),
          text('details', true),
        ],
        indices: [
          { name: 'ix_audit_at', columnNames: ['at'] },
          { name: 'ix_audit_actor', columnNames: ['actor_id'] },
          { name: 'ix_audit_action', columnNames: ['action'] },
          { name: 'ix_audit_target', columnNames: ['target_type', 'target_id'] },
        ],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('audit_events');
    await queryRunner.dropTable('vendors');
    await queryRunner.dropTable('sessions');
    await queryRunner.dropTable('users');
  }
}
