import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Allow, IsInt, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';

export class PortalSessionRequestDto {
  @ApiProperty({ description: 'The token of the portal link (the last part of its URL)' })
  @IsString()
  @MaxLength(200)
  token: string;
}

export class PortalSessionDto {
  @ApiProperty({ description: 'Send as `Authorization: Bearer <token>` on /api/portal routes' }) token: string;
  @ApiProperty({ format: 'date-time' }) expiresAt: string;
}

export class SaveAnswerDto {
  @ApiPropertyOptional({
    description: 'yes/no/na, an option key, a list of option keys, text, a number or a YYYY-MM-DD date; null clears it',
    oneOf: [{ type: 'string' }, { type: 'number' }, { type: 'array', items: { type: 'string' } }],
    nullable: true,
  })
  @Allow()
  value?: unknown;

  @ApiPropertyOptional({ nullable: true, maxLength: 4000 })
  @ValidateIf((o: SaveAnswerDto) => o.comment !== null && o.comment !== undefined)
  @IsString()
  @MaxLength(4000)
  comment?: string | null;

  @ApiProperty({ description: 'The answer version this change starts from: 0 for an unanswered question' })
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  baseVersion: number;
}

export class ConfirmAnswerDto {
  @ApiProperty({ description: 'The version of the carried-over answer being confirmed' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  baseVersion: number;
}

export class SavedAnswerDto {
  @ApiProperty() key: string;
  @ApiPropertyOptional({ nullable: true }) value: unknown;
  @ApiPropertyOptional({ nullable: true }) comment: string | null;
  @ApiProperty() version: number;
  @ApiProperty({ type: [String], description: 'Questions visible after this save' }) visible: string[];
  @ApiProperty() progress: { visible: number; answered: number; missingRequired: number };
}

export class EvidenceFileDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() questionKey: string;
  @ApiProperty() name: string;
  @ApiProperty() size: number;
  @ApiProperty() mime: string;
  @ApiProperty() sha256: string;
  @ApiProperty({ format: 'date-time' }) uploadedAt: string;

  static from(f: { id: string; questionKey: string; name: string; size: number; mime: string; sha256: string; uploadedAt: Date }): EvidenceFileDto {
    return { id: f.id, questionKey: f.questionKey, name: f.name, size: f.size, mime: f.mime, sha256: f.sha256, uploadedAt: new Date(f.uploadedAt).toISOString() };
  }
}

export class SubmittedDto {
  @ApiProperty() status: string;
  @ApiProperty({ format: 'date-time' }) submittedAt: string;
}
