import { MigrationInterface, QueryRunner, Table } from 'typeorm';
import { boolean, date, datetime, fk, id, integer, text, varchar } from '../migration-columns';

/** Contracts with their clause checklists. */
export class Contracts1765584000000 implements MigrationInterface {
  name = 'Contracts1765584000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.createTable(
      new Table({
        name: 'contracts',
        columns: [
          id(),
          varchar('vendor_id', 36),
          varchar('title', 200),
          varchar('reference', 100, true),
          varchar('type', 16),
          varchar('counterparty', 200),
          varchar('state', 16),
          date('effective_date'),
          date('expiry_date', true),
          boolean('auto_renewal'),
          integer('renewal_months', true),
          integer('notice_days', true),
          date('term_end', true),
          date('notice_deadline', true),
          varchar('value', 24, true),
          varchar('currency', 3, true),
          varchar('owner_id', 36),
          varchar('notes', 4000, true),
          varchar('document_key', 64, true),
          varchar('document_name', 255, true),
          varchar('document_sha256', 64, true),
          integer('document_size', true),
          varchar('document_mime', 100, true),
          date('terminated_on', true),
          varchar('termination_reason', 1000, true),
          varchar('created_by', 36, true),
          datetime('created_at'),
          datetime('updated_at'),
          integer('version'),
        ],
        indices: [
          { name: 'ix_contracts_vendor', columnNames: ['vendor_id', 'state'] },
          { name: 'ix_contracts_state_notice', columnNames: ['state', 'notice_deadline'] },
          { name: 'ix_contracts_state_term_end', columnNames: ['state', 'term_end'] },
        ],
        foreignKeys: [fk('fk_contracts_vendor', 'vendor_id', 'vendors', 'RESTRICT'), fk('fk_contracts_owner', 'owner_id', 'users', 'RESTRICT')],
      }),
    );
    await queryRunner.createTable(
      new Table({
        name: 'contract_clauses',
        columns: [
          id(),
          varchar('contract_id', 36),
          varchar('clause_key', 64),
          varchar('status', 16),
          varchar('section_ref', 200, true),
          text('params', true),
          varchar('notes', 2000, true),
          varchar('reason', 1000, true),
          varchar('updated_by', 36, true),
          datetime('updated_at'),
        ],
        indices: [{ name: 'uq_contract_clauses_contract_clause', columnNames: ['contract_id', 'clause_key'], isUnique: true }],
        foreignKeys: [fk('fk_contract_clauses_contract', 'contract_id', 'contracts', 'CASCADE')],
      }),
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable('contract_clauses');
    await queryRunner.dropTable('contracts');
  }
}
