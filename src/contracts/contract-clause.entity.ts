import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { JSON_TEXT } from '../database/large-text';
import type { ClauseStatus, ParamValue } from './contract-gaps';
import { ContractEntity } from './contract.entity';

/** One line of a contract's clause checklist: how the contract carries one clause of the library. */
@Entity('contract_clauses')
@Index('uq_contract_clauses_contract_clause', ['contractId', 'clauseKey'], { unique: true })
export class ContractClauseEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'contract_id', type: 'varchar', length: 36 })
  contractId: string;

  @ManyToOne(() => ContractEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'contract_id', foreignKeyConstraintName: 'fk_contract_clauses_contract' })
  contract?: ContractEntity;

  @Column({ name: 'clause_key', type: 'varchar', length: 64 })
  clauseKey: string;

  @Column({ type: 'varchar', length: 16 })
  status: ClauseStatus;

  /** Where the contract says it, e.g. "DPA §7.2". */
  @Column({ name: 'section_ref', type: 'varchar', length: 200, nullable: true })
  sectionRef: string | null;

  /** Parameter values by parameter key, e.g. `{ "notify_hours": 48 }`. */
  @Column({ type: 'text', nullable: true, transformer: JSON_TEXT })
  params: Record<string, ParamValue> | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  notes: string | null;

  /** Why the clause does not apply (required with `not_applicable`). */
  @Column({ type: 'varchar', length: 1000, nullable: true })
  reason: string | null;

  @Column({ name: 'updated_by', type: 'varchar', length: 36, nullable: true })
  updatedBy: string | null;

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;
}
