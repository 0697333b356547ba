import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsISO8601,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsOptionalNotNull } from '../../common/http/api-validation';
import { PageQueryDto } from '../../common/http/pagination.dto';
import { ContactDto } from '../../vendors/dto/vendor-input.dto';
import { ASSESSMENT_STATUSES, type AssessmentStatus } from '../assessment-lifecycle';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
export const MODULE_KEY = /^[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$/;

/** Who receives the questionnaire: a vendor contact's name, email and language. */
export class RecipientDto extends PickType(ContactDto, ['name', 'email', 'language'] as const) {}

export class CreateAssessmentDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  vendorId: string;

  @ApiPropertyOptional({ type: [String], description: 'Module keys; by default those proposed for the vendor’s tier and category' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(MODULE_KEY, { each: true })
  modules?: string[];

  @ApiProperty({ format: 'date', example: '2026-04-01', description: 'Today or later' })
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueDate must be a date as YYYY-MM-DD' })
  dueDate: string;

  @ApiPropertyOptional({ type: RecipientDto, description: 'By default the vendor’s contact' })
  @IsOptionalNotNull()
  @ValidateNested()
  @Type(() => RecipientDto)
  recipient?: RecipientDto;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptionalNotNull()
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  message?: string;

  @ApiPropertyOptional({ default: true, description: 'false keeps it as a draft' })
  @IsOptionalNotNull()
  @IsBoolean()
  send?: boolean;
}

export class ResendAssessmentDto {
  @ApiPropertyOptional({ format: 'date', description: 'A new due date (required when the questionnaire has expired)' })
  @IsOptionalNotNull()
  @IsISO8601({ strict: true, strictSeparator: true })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'dueDate must be a date as YYYY-MM-DD' })
  dueDate?: string;
}

export class CancelAssessmentDto {
  @ApiProperty({ minLength: 3, maxLength: 1000 })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(1000)
  reason: string;
}

export const ASSESSMENT_QUEUES = ['waiting', 'overdue'] as const;
export type AssessmentQueue = (typeof ASSESSMENT_QUEUES)[number];

export class AssessmentQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  vendorId?: string;

  @ApiPropertyOptional({ enum: ASSESSMENT_STATUSES })
  @IsOptionalNotNull()
  @IsIn(ASSESSMENT_STATUSES)
  status?: AssessmentStatus;

  @ApiPropertyOptional({ enum: ASSESSMENT_QUEUES, description: 'waiting: still with the vendor (sent, in progress, clarification); overdue: of those, past the due date' })
  @IsOptionalNotNull()
  @IsIn(ASSESSMENT_QUEUES)
  queue?: AssessmentQueue;
}

export class ProposalQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  vendorId: string;
}
