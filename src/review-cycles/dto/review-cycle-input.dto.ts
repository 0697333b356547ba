import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsIn, IsInt, IsString, IsUUID, Matches, MaxLength, Min, MinLength } from 'class-validator';
import { IsIsoDate, IsOptionalNotNull } from '../../common/http/api-validation';
import { PageQueryDto } from '../../common/http/pagination.dto';
import { REVIEW_STATUSES, type ReviewStatus } from '../review-cycle-status';
import { REVIEW_KINDS, type ReviewKind } from '../review-cycle.entity';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class ReviewCycleQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptionalNotNull()
  @IsUUID()
  vendorId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Reviews of the vendors this staff member owns" })
  @IsOptionalNotNull()
  @IsUUID()
  ownerId?: string;

  @ApiPropertyOptional({ enum: REVIEW_KINDS })
  @IsOptionalNotNull()
  @IsIn(REVIEW_KINDS)
  kind?: ReviewKind;

  @ApiPropertyOptional({ enum: REVIEW_STATUSES, description: 'Open reviews (scheduled, due, in progress, overdue) when neither status nor dates are given' })
  @IsOptionalNotNull()
  @IsIn(REVIEW_STATUSES)
  status?: ReviewStatus;

  @ApiPropertyOptional({ format: 'date', description: 'Due on or after' })
  @IsOptionalNotNull()
  @IsIsoDate()
  from?: string;

  @ApiPropertyOptional({ format: 'date', description: 'Due on or before' })
  @IsOptionalNotNull()
  @IsIsoDate()
  to?: string;
}

export class CompleteReviewCycleDto {
  @ApiProperty({ description: 'The version read; a stale one gets 409' })
  @IsInt()
  @Min(1)
  version: number;

  @ApiProperty({ minLength: 5, maxLength: 2000, description: 'What was decided: renewed, renegotiated, ended; risk extended or closed' })
  @Transform(trim)
  @IsString()
  @MinLength(5)
  @MaxLength(2000)
  note: string;
}

export class StartReassessmentDto {
  @ApiProperty({ description: 'The version read; a stale one gets 409' })
  @IsInt()
  @Min(1)
  version: number;

  @ApiProperty({ format: 'date', description: "The questionnaire's due date" })
  @IsIsoDate()
  dueDate: string;

  @ApiPropertyOptional({ type: [String], description: "Module keys; by default those proposed for the vendor's tier and category" })
  @IsOptionalNotNull()
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(10)
  @ArrayUnique()
  @IsString({ each: true })
  @Matches(/^[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$/, { each: true })
  modules?: string[];
}
