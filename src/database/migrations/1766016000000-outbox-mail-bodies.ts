import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every mail now goes through the outbox, and a stored mail's body (a clarification request lists
 * the reopened questions) may pass MySQL's 64 KB TEXT: the payload becomes MEDIUMTEXT there.
 * SQLite's TEXT has no such limit: nothing changes on SQLite.
 */
export class OutboxMailBodies1766016000000 implements MigrationInterface {
  name = 'OutboxMailBodies1766016000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type === 'better-sqlite3') return;
    await queryRunner.query('ALTER TABLE `reminder_outbox` MODIFY `payload` mediumtext NOT NULL');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    if (queryRunner.connection.driver.options.type === 'better-sqlite3') return;
    await queryRunner.query('ALTER TABLE `reminder_outbox` MODIFY `payload` text NOT NULL');
  }
}
