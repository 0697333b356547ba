import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { JSON_TEXT, LargeTextColumn } from '../database/large-text';
import type { QuestionnaireModule } from './questionnaire-module';

export type QuestionnaireSource = 'shipped' | 'imported' | 'edited';

/**
 * One published version of a questionnaire module. Immutable once written: editing a module
 * publishes a new version, and assessments keep the exact versions they were sent with.
 */
@Entity('questionnaire_versions')
@Index('uq_questionnaire_versions_key_version', ['moduleKey', 'version'], { unique: true })
@Index('ix_questionnaire_versions_key_published', ['moduleKey', 'publishedAt'])
export class QuestionnaireVersionEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id: string;

  @Column({ name: 'module_key', type: 'varchar', length: 64 })
  moduleKey: string;

  @Column({ type: 'varchar', length: 32 })
  version: string;

  @Column({ name: 'title_en', type: 'varchar', length: 300 })
  titleEn: string;

  @Column({ name: 'title_zh', type: 'varchar', length: 300 })
  titleZh: string;

  @Column({ type: 'varchar', length: 16 })
  source: QuestionnaireSource;

  /** SHA-256 of the canonical JSON of the definition: a shipped file changed without a new version is caught at start. */
  @Column({ name: 'content_hash', type: 'varchar', length: 64 })
  contentHash: string;

  @Column({ name: 'question_count', type: 'integer' })
  questionCount: number;

  @LargeTextColumn({ transformer: JSON_TEXT })
  definition: QuestionnaireModule;

  @Column({ name: 'published_at', type: 'datetime' })
  publishedAt: Date;

  @Column({ name: 'published_by', type: 'varchar', length: 36, nullable: true })
  publishedBy: string | null;
}
