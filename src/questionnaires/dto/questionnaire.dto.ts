import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { VersionSummary } from '../questionnaires.service';
import type { QuestionnaireModule } from '../questionnaire-module';

export class QuestionnaireVersionDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() key: string;
  @ApiProperty() version: string;
  @ApiProperty() title: { en: string; 'zh-CN': string };
  @ApiProperty({ enum: ['shipped', 'imported', 'edited'] }) source: string;
  @ApiProperty() questionCount: number;
  @ApiProperty({ format: 'date-time' }) publishedAt: string;
  @ApiPropertyOptional({ nullable: true, format: 'uuid' }) publishedBy: string | null;
  @ApiProperty({ description: 'SHA-256 of the canonical definition' }) contentHash: string;

  static from(v: VersionSummary): QuestionnaireVersionDto {
    return {
      id: v.id,
      key: v.moduleKey,
      version: v.version,
      title: { en: v.titleEn, 'zh-CN': v.titleZh },
      source: v.source,
      questionCount: v.questionCount,
      publishedAt: new Date(v.publishedAt).toISOString(),
      publishedBy: v.publishedBy,
      contentHash: v.contentHash,
    };
  }
}

export class QuestionnaireDetailDto extends QuestionnaireVersionDto {
  @ApiProperty({ description: 'The module as published: sections, questions, options, conditions, findings' }) definition: QuestionnaireModule;
  @ApiProperty({ type: [String], description: 'Every published version, newest first' }) versions: string[];
}
