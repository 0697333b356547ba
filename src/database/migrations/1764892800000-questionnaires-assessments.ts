import { MigrationInterface, QueryRunner, Table, TableColumn } from 'typeorm';
import { largeTextType } from '../large-text';
import { date, datetime, fk, id, integer, text, varchar } from '../migration-columns';

/**
 * Questionnaire versions, assessments with their modules, answers, evidence, portal links and
 * sessions, findings; and the vendor's residual risk. Table API and portable types, as before.
 */
export class QuestionnairesAssessments1764892800000 implements MigrationInterface {
  name = 'QuestionnairesAssessments1764892800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const kind = queryRunner.connection.driver.options.type === 'better-sqlite3' ? 'sqlite' : 'mysql';
    await queryRunner.createTable(
      new Table({
        name: 'questionnaire_versions',
        columns: [
          id(),
          varchar('module_key', 64),
          varchar('version', 32),
          varchar('title_en', 300),
          varchar('title_zh', 300),
          varchar('source', 16),
          varchar('content_hash', 64),
          integer('question_count'),
          { name: 'definition', type: largeTextType(kind) },
          datetime('published_at'),
          varchar('published_by', 36, true),
        ],
        indices: [
          { name: 'uq_questionnaire_versions_key_version', columnNames: ['module_key', 'version'], isUnique: true },
          { name: 'ix_questionnaire_versions_key_published', columnNames: ['module_key', 'published_at'] },
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'assessments',
        columns: [
          id(),
          varchar('vendor_id', 36),
          varchar('status', 24),
          date('due_date'),
          varchar('recipient_name', 120),
          varchar('recipient_email', 254),
          varchar('language', 8),
          varchar('message', 2000, true),
          varchar('created_by', 36, true),
          datetime('created_at'),
          datetime('updated_at'),
          datetime('sent_at', true),
          datetime('submitted_at', true),
          datetime('completed_at', true),
          datetime('cancelled_at', true),
          varchar('reviewer_id', 36, true),
          varchar('clarification_message', 2000, true),
          integer('score_x100', true),
          varchar('band', 16, true),
          integer('critical_failures'),
          integer('answered_count'),
          integer('question_count'),
          varchar('residual_risk', 16, true),
          varchar('inherent_tier', 16, true),
          integer('version'),
        ],
        indices: [
          { name: 'ix_assessments_vendor_created', columnNames: ['vendor_id', 'created_at'] },
          { name: 'ix_assessments_status_due', columnNames: ['status', 'due_date'] },
        ],
        foreignKeys: [fk('fk_assessments_vendor', 'vendor_id', 'vendors', 'RESTRICT')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'assessment_modules',
        columns: [
          { name: 'assessment_id', type: 'varchar', length: '36', isPrimary: true },
          { name: 'position', type: 'integer', isPrimary: true },
          varchar('module_version_id', 36),
        ],
        indices: [{ name: 'ix_assessment_modules_version', columnNames: ['module_version_id'] }],
        foreignKeys: [
          fk('fk_assessment_modules_assessment', 'assessment_id', 'assessments', 'CASCADE'),
          fk('fk_assessment_modules_version', 'module_version_id', 'questionnaire_versions', 'RESTRICT'),
        ],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'answers',
        columns: [
          id(),
          varchar('assessment_id', 36),
          varchar('question_key', 100),
          text('value', true),
          text('comment', true),
          integer('version'),
          datetime('answered_at', true),
          varchar('review_decision', 16, true),
          varchar('review_note', 2000, true),
          integer('override_x100', true),
          varchar('override_reason', 2000, true),
          varchar('reviewed_by', 36, true),
          datetime('reviewed_at', true),
          { name: 'clarification_open', type: 'boolean' },
          varchar('clarification_note', 2000, true),
        ],
        indices: [{ name: 'uq_answers_assessment_question', columnNames: ['assessment_id', 'question_key'], isUnique: true }],
        foreignKeys: [fk('fk_answers_assessment', 'assessment_id', 'assessments', 'CASCADE')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'evidence_files',
        columns: [
          id(),
          varchar('assessment_id', 36),
          varchar('question_key', 100),
          varchar('storage_key', 64),
          varchar('sha256', 64),
          integer('size'),
          varchar('mime', 100),
          varchar('name', 255),
          datetime('uploaded_at'),
          datetime('removed_at', true),
        ],
        indices: [{ name: 'ix_evidence_assessment_question', columnNames: ['assessment_id', 'question_key'] }],
        foreignKeys: [fk('fk_evidence_assessment', 'assessment_id', 'assessments', 'CASCADE')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'portal_links',
        columns: [
          id(),
          varchar('token_hash', 64),
          varchar('assessment_id', 36),
          datetime('created_at'),
          varchar('created_by', 36, true),
          datetime('expires_at'),
          datetime('revoked_at', true),
          datetime('superseded_at', true),
          datetime('last_used_at', true),
        ],
        indices: [
          { name: 'uq_portal_links_token_hash', columnNames: ['token_hash'], isUnique: true },
          { name: 'ix_portal_links_assessment', columnNames: ['assessment_id'] },
        ],
        foreignKeys: [fk('fk_portal_links_assessment', 'assessment_id', 'assessments', 'CASCADE')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'portal_sessions',
        columns: [
          id(),
          varchar('token_hash', 64),
          varchar('assessment_id', 36),
          varchar('link_id', 36),
          datetime('created_at'),
          datetime('last_seen_at'),
          datetime('expires_at'),
          datetime('revoked_at', true),
        ],
        indices: [
          { name: 'uq_portal_sessions_token_hash', columnNames: ['token_hash'], isUnique: true },
          { name: 'ix_portal_sessions_link', columnNames: ['link_id'] },
        ],
        foreignKeys: [fk('fk_portal_sessions_link', 'link_id', 'portal_links', 'CASCADE')],
      }),
    );

    await queryRunner.createTable(
      new Table({
        name: 'findings',
        columns: [
          id(),
          varchar('vendor_id', 36),
          varchar('assessment_id', 36, true),
          varchar('question_key', 100, true),
          varchar('title', 300),
          varchar('severity', 16),
          integer('severity_rank'),
          text('recommendation'),
          varchar('status', 24),
          varchar('owner_id', 36, true),
          date('due_date'),
          varchar('created_by', 36, true),
          datetime('created_at'),
          datetime('updated_at'),
          datetime('resolved_at', true),
          varchar('note', 2000, true),
          varchar('risk_accepted_reason', 2000, true),
          date('risk_accepted_until', true),
          varchar('risk_accepted_by', 36, true),
          integer('version'),
        ],
        indices: [
          { name: 'ix_findings_vendor_status', columnNames: ['vendor_id', 'status'] },
          { name: 'ix_findings_status_severity', columnNames: ['status', 'severity_rank', 'due_date'] },
          { name: 'ix_findings_assessment', columnNames: ['assessment_id'] },
        ],
        foreignKeys: [fk('fk_findings_vendor', 'vendor_id', 'vendors', 'RESTRICT')],
      }),
    );

    await queryRunner.addColumns('vendors', [
      new TableColumn(varchar('residual_risk', 16, true)),
      new TableColumn(datetime('residual_risk_at', true)),
      new TableColumn(varchar('last_assessment_id', 36, true)),
    ]);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('vendors', ['residual_risk', 'residual_risk_at', 'last_assessment_id']);
    for (const table of ['findings', 'portal_sessions', 'portal_links', 'evidence_files', 'answers', 'assessment_modules', 'assessments', 'questionnaire_versions']) {
      await queryRunner.dropTable(table);
    }
  }
}
