import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, validate } from 'class-validator';
import { validationException } from '../../common/http/problem-details';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

export class PublishVersionDto {
  @ApiProperty({ description: 'The whole module definition (JSON), with a version newer than the published ones' })
  @IsObject()
  definition: Record<string, unknown>;
}

export class ExportQueryDto {
  @ApiPropertyOptional({ enum: ['csv', 'xlsx'], default: 'csv' })
  @IsOptional()
  @IsIn(['csv', 'xlsx'])
  format: 'csv' | 'xlsx' = 'csv';

  @ApiPropertyOptional({ enum: ['en', 'zh-CN'], description: 'Language of the answer export' })
  @IsOptional()
  @IsIn(['en', 'zh-CN'])
  lang?: 'en' | 'zh-CN';
}

/** The text fields sent with an imported table (multipart). */
export class ImportMetaDto {
  @ApiProperty({ example: 'acme-security' })
  @Transform(trim)
  @IsString()
  @Matches(/^[a-z][a-z0-9_]*(?:[.-][a-z0-9_]+)*$/, { message: 'key must be lower-case letters, digits, dots, dashes or underscores, starting with a letter' })
  @MaxLength(64)
  key: string;

  @ApiProperty({ example: '1.0.0' })
  @Transform(trim)
  @IsString()
  @Matches(/^\d+\.\d+\.\d+$/, { message: 'version must look like 1.0.0' })
  version: string;

  @ApiProperty()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  titleEn: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MaxLength(300)
  titleZh?: string;

  /** Validates the multipart fields (the file is read separately) like a JSON body would be. */
  static async fromMultipart(body: unknown): Promise<ImportMetaDto> {
    const fields: Record<string, unknown> = {};
    if (body && typeof body === 'object') {
      for (const [k, v] of Object.entries(body as Record<string, unknown>)) if (k !== 'file') fields[k] = v;
    }
    const dto = plainToInstance(ImportMetaDto, fields);
    const errors = await validate(dto, { whitelist: true, forbidNonWhitelisted: true, stopAtFirstError: true });
    if (errors.length) throw validationException(errors);
    return dto;
  }
}
