import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';

/** Answers carried over into a re-assessment: where from, the value carried over, and when the vendor confirmed it. */
export class AnswerPrefill1765756800000 implements MigrationInterface {
  name = 'AnswerPrefill1765756800000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('answers', [
      new TableColumn({ name: 'prefilled_from', type: 'varchar', length: '36', isNullable: true }),
      new TableColumn({ name: 'previous_value', type: 'text', isNullable: true }),
      new TableColumn({ name: 'confirmed_at', type: 'datetime', isNullable: true }),
    ]);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumns('answers', ['confirmed_at', 'previous_value', 'prefilled_from']);
  }
}
