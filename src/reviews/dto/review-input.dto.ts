import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayNotEmpty,
  ArrayUnique,
  IsArray,
  IsIn,
  IsInt,
  IsISO8601,
  IsNumber,
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
import { IsOptionalNotNull } from '../../common/http/api-validation';
import { PageQueryDto } from '../../common/http/pagination.dto';
import { FINDING_STATUSES, type FindingStatus } from '../finding.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const QUESTION_KEY = /^[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$/;

export class ReviewAnswerDto {
  @ApiPropertyOptional({ enum: ['accepted', 'rejected'], nullable: true, description: 'The verdict on the answer and its evidence; null clears it' })
  @ValidateIf((o: ReviewAnswerDto) => o.decision !== null && o.decision !== undefined)
  @IsIn(['accepted', 'rejected'])
  decision?: 'accepted' | 'rejected' | null;

  @ApiPropertyOptional({ maxLength: 2000, nullable: true })
  @ValidateIf((o: ReviewAnswerDto) => o.note !== null && o.note !== undefined)
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  note?: string | null;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, nullable: true, description: 'A reviewed score 0–100 replacing the automatic one; null removes the override' })
  @ValidateIf((o: ReviewAnswerDto) => o.overrideScore !== null && o.overrideScore !== undefined)
  @IsNumber({ allowNaN: false, allowInfinity: false, maxDecimalPlaces: 2 })
  @Min(0)
  @Max(100)
  overrideScore?: number | null;

  @ApiPropertyOptional({ minLength: 10, maxLength: 2000, description: 'Required with an override' })
  @ValidateIf((o: ReviewAnswerDto) => o.overrideScore !== null && o.overrideScore !== undefined)
  @Transform(trim)
  @IsString()
  @MinLength(10, { message: 'overrideReason must explain the override in at least 10 characters' })
  @MaxLength(2000)
  overrideReason?: string;
}

export class ClarificationRequestDto {
  @ApiProperty({ type: [String], description: 'Question keys to reopen for the vendor' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(QUESTION_KEY, { each: true })
  questionKeys: string[];

  @ApiProperty({ minLength: 3, maxLength: 2000, description: 'What the reviewers need; shown and mailed to the vendor' })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(2000)
  message: string;
}

export class NewFindingDto {
  @ApiProperty({ minLength: 3, maxLength: 300 })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(300)
  title: string;

  @ApiProperty({ enum: SEVERITIES })
  @IsIn(SEVERITIES)
  severity: (typeof SEVERITIES)[number];

  @ApiProperty({ minLength: 3, maxLength: 4000 })
  @Transform(trim)
  @IsString()
  @MinLength(3)
  @MaxLength(4000)
  recommendation: string;

  @ApiPropertyOptional({ format: 'date', description: 'By default from the severity (30, 60, 90 or 180 days)' })
  @IsOptionalNotNull()
  @Matches(ISO_DATE, { message: 'dueDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  dueDate?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'By default the vendor’s owner' })
  @IsOptionalNotNull()
  @IsUUID()
  ownerId?: string;
}

export class CompleteReviewDto {
  @ApiPropertyOptional({ type: [NewFindingDto], description: 'Findings of the reviewers’ own, raised with those of failed questions' })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => NewFindingDto)
  findings?: NewFindingDto[];
}

export class CreateFindingDto extends NewFindingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  vendorId: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  assessmentId?: string;
}

export class UpdateFindingDto {
  @ApiProperty({ description: 'The version you read (optimistic locking)' })
  @IsInt()
  @Min(1)
  version: number;

  @ApiPropertyOptional({ enum: ['open', 'in_remediation', 'resolved'], description: 'Risk acceptance has its own route' })
  @IsOptionalNotNull()
  @IsIn(['open', 'in_remediation', 'resolved'])
  status?: Exclude<FindingStatus, 'risk_accepted'>;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ format: 'date' })
  @IsOptionalNotNull()
  @Matches(ISO_DATE, { message: 'dueDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  dueDate?: string;

  @ApiPropertyOptional({ maxLength: 2000, nullable: true })
  @ValidateIf((o: UpdateFindingDto) => o.note !== null && o.note !== undefined)
  @Transform(trim)
  @IsString()
  @MaxLength(2000)
  note?: string | null;
}

export class AcceptRiskDto {
  @ApiProperty({ description: 'The version you read (optimistic locking)' })
  @IsInt()
  @Min(1)
  version: number;

  @ApiProperty({ minLength: 10, maxLength: 2000 })
  @Transform(trim)
  @IsString()
  @MinLength(10, { message: 'reason must explain the acceptance in at least 10 characters' })
  @MaxLength(2000)
  reason: string;

  @ApiProperty({ format: 'date', description: 'After today, at most three years ahead' })
  @Matches(ISO_DATE, { message: 'until must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  until: string;
}

export class FindingQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  vendorId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  assessmentId?: string;

  @ApiPropertyOptional({ enum: FINDING_STATUSES })
  @IsOptionalNotNull()
  @IsIn(FINDING_STATUSES)
  status?: FindingStatus;

  @ApiPropertyOptional({ enum: SEVERITIES })
  @IsOptionalNotNull()
  @IsIn(SEVERITIES)
  severity?: (typeof SEVERITIES)[number];
}
