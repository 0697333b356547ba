import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, VersionColumn } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { VendorEntity } from '../vendors/vendor.entity';
import type { ContractState, ContractType } from './contract-terms';

/**
 * A contract with a vendor: its type, parties, dates and value, its signed document, and (in
 * `contract_clauses`) the data-protection clause checklist. `state` is what staff set; the status
 * shown (expiring, expired) follows from the dates. `termEnd` and `noticeDeadline` are derived
 * from the dates on every write and kept as columns so that reminders and lists can use an index.
 */
@Entity('contracts')
@Index('ix_contracts_vendor', ['vendorId', 'state'])
@Index('ix_contracts_state_notice', ['state', 'noticeDeadline'])
@Index('ix_contracts_state_term_end', ['state', 'termEnd'])
export class ContractEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'vendor_id', type: 'varchar', length: 36 })
  vendorId: string;

  @ManyToOne(() => VendorEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'vendor_id', foreignKeyConstraintName: 'fk_contracts_vendor' })
  vendor?: VendorEntity;

  @Column({ type: 'varchar', length: 200 })
  title: string;

  /** The contract's own number or reference, e.g. "MSA-2024-017". */
  @Column({ type: 'varchar', length: 100, nullable: true })
  reference: string | null;

  @Column({ type: 'varchar', length: 16 })
  type: ContractType;

  /** The vendor's legal entity that signed. */
  @Column({ type: 'varchar', length: 200 })
  counterparty: string;

  @Column({ type: 'varchar', length: 16 })
  state: ContractState;

  @Column({ name: 'effective_date', type: 'date', utc: true })
  effectiveDate: string;

  @Column({ name: 'expiry_date', type: 'date', utc: true, nullable: true })
  expiryDate: string | null;

  @Column({ name: 'auto_renewal', type: 'boolean' })
  autoRenewal: boolean;

  @Column({ name: 'renewal_months', type: 'integer', nullable: true })
  renewalMonths: number | null;

  @Column({ name: 'notice_days', type: 'integer', nullable: true })
  noticeDays: number | null;

  /** End of the current term (renewals rolled forward as of the last write); null without an end date. */
  @Column({ name: 'term_end', type: 'date', utc: true, nullable: true })
  termEnd: string | null;

  /** Last day to give notice in the current term; null without an end date or a notice period. */
  @Column({ name: 'notice_deadline', type: 'date', utc: true, nullable: true })
  noticeDeadline: string | null;

  /** Decimal text with up to two decimals, e.g. "120000.00"; null when not recorded. */
  @Column({ type: 'varchar', length: 24, nullable: true })
  value: string | null;

  /** ISO 4217 code; set exactly when `value` is. */
  @Column({ type: 'varchar', length: 3, nullable: true })
  currency: string | null;

  @Column({ name: 'owner_id', type: 'varchar', length: 36 })
  ownerId: string;

  @ManyToOne(() => UserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'owner_id', foreignKeyConstraintName: 'fk_contracts_owner' })
  owner?: UserEntity;

  @Column({ type: 'varchar', length: 4000, nullable: true })
  notes: string | null;

  /** The signed document, in the evidence store. */
  @Column({ name: 'document_key', type: 'varchar', length: 64, nullable: true })
  documentKey: string | null;

  @Column({ name: 'document_name', type: 'varchar', length: 255, nullable: true })
  documentName: string | null;

  @Column({ name: 'document_sha256', type: 'varchar', length: 64, nullable: true })
  documentSha256: string | null;

  @Column({ name: 'document_size', type: 'integer', nullable: true })
  documentSize: number | null;

  @Column({ name: 'document_mime', type: 'varchar', length: 100, nullable: true })
  documentMime: string | null;

  @Column({ name: 'terminated_on', type: 'date', utc: true, nullable: true })
  terminatedOn: string | null;

  @Column({ name: 'termination_reason', type: 'varchar', length: 1000, nullable: true })
  terminationReason: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 36, nullable: true })
  createdBy: string | null;

  @Column({ name: 'created_at', type: 'datetime' })
  createdAt: Date;

  @Column({ name: 'updated_at', type: 'datetime' })
  updatedAt: Date;

  @VersionColumn({ type: 'integer' })
  version: number;
}
