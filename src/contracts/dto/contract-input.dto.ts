import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsIsoDate, IsOptionalNotNull } from '../../common/http/api-validation';
import { PageQueryDto } from '../../common/http/pagination.dto';
import { CLAUSE_STATUSES, type ClauseStatus, type ParamValue } from '../contract-gaps';
import { CONTRACT_STATUSES, CONTRACT_TYPES, MAX_RENEWAL_MONTHS, type ContractStatus, type ContractType } from '../contract-terms';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const DECIMAL = /^(0|[1-9]\d{0,12})(\.\d{1,2})?$/;
const CLAUSE_KEY = /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/;
/** Set when given, may be cleared with null. */
const nullable = (prop: string) => ValidateIf((o: Record<string, unknown>) => o[prop] !== null && o[prop] !== undefined);

/** The fields staff write on a contract; shared by create and update. */
class ContractFieldsDto {
  @ApiPropertyOptional({ maxLength: 100, nullable: true, example: 'MSA-2026-014' })
  @nullable('reference')
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  reference?: string | null;

  @ApiPropertyOptional({ maxLength: 200, description: "The vendor's legal entity that signed; the vendor's legal entity or name when left out" })
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  counterparty?: string;

  @ApiPropertyOptional({ format: 'date', nullable: true, description: 'End of the first term; none for a contract without an end date' })
  @nullable('expiryDate')
  @IsIsoDate()
  expiryDate?: string | null;

  @ApiPropertyOptional({ default: false })
  @IsOptionalNotNull()
  @IsBoolean()
  autoRenewal?: boolean;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_RENEWAL_MONTHS, nullable: true, description: 'Length of each automatic renewal; required with autoRenewal' })
  @nullable('renewalMonths')
  @IsInt()
  @Min(1)
  @Max(MAX_RENEWAL_MONTHS)
  renewalMonths?: number | null;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 3650, nullable: true, description: 'Days before the end of a term by which notice must be given' })
  @nullable('noticeDays')
  @IsInt()
  @Min(0)
  @Max(3650)
  noticeDays?: number | null;

  @ApiPropertyOptional({ nullable: true, example: '120000.00', description: 'Contract value, a decimal with at most two decimals; with currency' })
  @nullable('value')
  @IsString()
  @Matches(DECIMAL, { message: 'value must be a decimal number with at most two decimals, e.g. 120000.00' })
  value?: string | null;

  @ApiPropertyOptional({ nullable: true, example: 'EUR', description: 'ISO 4217 code; with value' })
  @nullable('currency')
  @Transform(upper)
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be a three-letter ISO 4217 code' })
  currency?: string | null;

  @ApiPropertyOptional({ format: 'uuid', description: "The staff member who owns the contract; the vendor's owner when left out" })
  @IsOptionalNotNull()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ maxLength: 4000, nullable: true })
  @nullable('notes')
  @Transform(trim)
  @IsString()
  @MaxLength(4000)
  notes?: string | null;
}

export class CreateContractDto extends ContractFieldsDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  vendorId: string;

  @ApiProperty({ maxLength: 200, example: 'Data processing agreement' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty({ enum: CONTRACT_TYPES })
  @IsIn(CONTRACT_TYPES)
  type: ContractType;

  @ApiPropertyOptional({ enum: ['draft', 'active'], default: 'active' })
  @IsOptionalNotNull()
  @IsIn(['draft', 'active'])
  state?: 'draft' | 'active';

  @ApiProperty({ format: 'date' })
  @IsIsoDate()
  effectiveDate: string;
}

export class UpdateContractDto extends ContractFieldsDto {
  @ApiProperty({ description: 'The version read; a stale one gets 409' })
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional({ maxLength: 200 })
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ enum: CONTRACT_TYPES })
  @IsOptionalNotNull()
  @IsIn(CONTRACT_TYPES)
  type?: ContractType;

  @ApiPropertyOptional({ enum: ['draft', 'active'], description: 'A draft becomes active when signed; an active contract cannot go back to draft' })
  @IsOptionalNotNull()
  @IsIn(['draft', 'active'])
  state?: 'draft' | 'active';

  @ApiPropertyOptional({ format: 'date' })
  @IsOptionalNotNull()
  @IsIsoDate()
  effectiveDate?: string;
}

export class TerminateContractDto {
  @ApiProperty({ description: 'The version read; a stale one gets 409' })
  @IsInt()
  @Min(1)
  version: number;

  @ApiProperty({ format: 'date', description: 'The day the contract ended' })
  @IsIsoDate()
  terminatedOn: string;

  @ApiProperty({ minLength: 5, maxLength: 1000 })
  @Transform(trim)
  @IsString()
  @MinLength(5)
  @MaxLength(1000)
  reason: string;
}

export class ChecklistEntryDto {
  @ApiProperty({ example: 'gdpr.breach.processor', description: 'A clause key of the library' })
  @IsString()
  @Matches(CLAUSE_KEY, { message: 'clause must be a clause key such as gdpr.dpa.written' })
  @MaxLength(64)
  clause: string;

  @ApiProperty({ enum: CLAUSE_STATUSES })
  @IsIn(CLAUSE_STATUSES)
  status: ClauseStatus;

  @ApiPropertyOptional({ maxLength: 200, nullable: true, example: 'DPA §7.2' })
  @nullable('sectionRef')
  @Transform(trim)
  @IsString()
  @MaxLength(200)
  sectionRef?: string | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, nullable: true, example: { notify_hours: 48 }, description: "Values of the clause's parameters" })
  @nullable('params')
  @IsObject()
  params?: Record<string, ParamValue | null> | null;

  @ApiPropertyOptional({ maxLength: 2000, nullable: true })
  @nullable('notes')
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  notes?: string | null;

  @ApiPropertyOptional({ maxLength: 1000, nullable: true, description: 'Why the clause does not apply; required with not_applicable' })
  @nullable('reason')
  @Transform(trim)
  @IsString()
  @MaxLength(1000)
  reason?: string | null;
}

export class UpdateChecklistDto {
  @ApiProperty({ description: "The contract's version read; a stale one gets 409" })
  @IsInt()
  @Min(1)
  version: number;

  @ApiProperty({ type: [ChecklistEntryDto], description: 'Entries to set; clauses not listed keep their entry' })
  @IsArray()
  @ArrayMaxSize(200)
  @ArrayUnique((e: ChecklistEntryDto) => e?.clause, { message: 'entries must name each clause once' })
  @ValidateNested({ each: true })
  @Type(() => ChecklistEntryDto)
  entries: ChecklistEntryDto[];
}

export const CONTRACT_SORTS = ['title', '-title', 'noticeDeadline', '-noticeDeadline', 'termEnd', '-termEnd', 'createdAt', '-createdAt'] as const;

export class ContractQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  vendorId?: string;

  @ApiPropertyOptional({ enum: CONTRACT_STATUSES })
  @IsOptionalNotNull()
  @IsIn(CONTRACT_STATUSES)
  status?: ContractStatus;

  @ApiPropertyOptional({ enum: CONTRACT_TYPES })
  @IsOptionalNotNull()
  @IsIn(CONTRACT_TYPES)
  type?: ContractType;

  @ApiPropertyOptional({ maxLength: 100, description: 'Part of the title, reference or counterparty' })
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString()
  @MaxLength(100)
  q?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, maximum: 3650, description: 'Contracts in force whose notice deadline falls within this many days from today' })
  @IsOptionalNotNull()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(3650)
  noticeWithinDays?: number;

  @ApiPropertyOptional({ enum: CONTRACT_SORTS, default: 'noticeDeadline' })
  @IsOptionalNotNull()
  @IsIn(CONTRACT_SORTS)
  sort?: (typeof CONTRACT_SORTS)[number];
}
