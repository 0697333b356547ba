import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { datetime, fk, id, integer, varchar } from '../migration-columns';

/** The stored report of each completed assessment, per language. */
export class ReportSnapshots1765843200000 implements MigrationInterface {
  name = 'ReportSnapshots1765843200000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'report_snapshots',
        columns: [id(), varchar('assessment_id', 36), varchar('locale', 8), varchar('storage_key', 32), varchar('sha256', 64), integer('size'), datetime('created_at')],
        indices: [{ name: 'uq_report_snapshots_assessment_locale', columnNames: ['assessment_id', 'locale'], isUnique: true }],
        foreignKeys: [fk('fk_report_snapshots_assessment', 'assessment_id', 'assessments', 'RESTRICT')],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('report_snapshots');
  }
}
