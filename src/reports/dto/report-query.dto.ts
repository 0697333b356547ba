import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { emptyToUndefined, queryBoolean } from '../../common/http/query-values';
import { LOCALES, type Locale } from '../../i18n/i18n';

export class PortfolioReportQueryDto {
  @ApiPropertyOptional({ enum: LOCALES, description: 'Language of the report; the caller’s language when left out' })
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsIn(LOCALES)
  lang?: Locale;
}

export class ReportQueryDto extends PortfolioReportQueryDto {
  @ApiPropertyOptional({ description: 'Add the appendix: every question with its answer, comment, score and reviewer note', default: false })
  @Transform(queryBoolean)
  @IsOptional()
  @IsBoolean()
  appendix?: boolean;
}
