import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, In, Repository } from 'typeorm';
import type { AuditActor } from '../audit/audit-context';
import { AuditService } from '../audit/audit.service';
import { Clock } from '../clock/clock';
import type { FieldError } from '../common/errors/app-exception';
import { canonicalJson, CompiledQuestionnaire, compareVersions, compileQuestionnaire, questionCount, sharedQuestionKeys } from './compiled-module';
import { LoadedModule, loadModules, ModuleLoadError, QUESTIONNAIRES_DIR } from './module-loader';
import type { QuestionnaireModule } from './questionnaire-module';
import { QuestionnaireSource, QuestionnaireVersionEntity } from './questionnaire-version.entity';
import { QuestionnaireErrorCode, QuestionnaireException } from './questionnaire.exception';

/** A version without its (large) definition, for lists. */
export type VersionSummary = Omit<QuestionnaireVersionEntity, 'definition'>;

const SUMMARY_COLUMNS = {
  id: true,
  moduleKey: true,
  version: true,
  titleEn: true,
  titleZh: true,
  source: true,
  contentHash: true,
  questionCount: true,
  publishedAt: true,
  publishedBy: true,
} as const;

export function contentHash(module: QuestionnaireModule): string {
  return createHash('sha256').update(canonicalJson(module)).digest('hex');
}

/**
 * The questionnaire library: shipped modules (questionnaires/*.yaml, published at start) and
 * modules staff import or edit. Published versions never change; their compiled form is cached.
 */
@Injectable()
export class QuestionnairesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(QuestionnairesService.name);
  private readonly compiled = new Map<string, QuestionnaireModule>();
  private readonly shippedKeys = new Set<string>();

  constructor(
    @InjectRepository(QuestionnaireVersionEntity) private readonly versions: Repository<QuestionnaireVersionEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.publishShipped(loadModules(QUESTIONNAIRES_DIR));
  }

  /**
   * Publishes each shipped module version not yet in the database. A shipped file whose content
   * changed without a new version stops the start: published versions are immutable.
   */
  async publishShipped(loaded: LoadedModule[]): Promise<void> {
    for (const l of loaded) this.shippedKeys.add(l.module.key);
    const existing = await this.versions.find({ select: SUMMARY_COLUMNS, where: { moduleKey: In(loaded.map((l) => l.module.key)) } });
    const problems: string[] = [];
    const toInsert: QuestionnaireVersionEntity[] = [];
    for (const { file, module } of loaded) {
      const hash = contentHash(module);
      const same = existing.find((v) => v.moduleKey === module.key && v.version === module.version);
      if (same) {
        if (same.contentHash !== hash) {
          problems.push(`${file}: version: ${module.key}@${module.version} is already published with other content; give the changed module a new version`);
        }
        continue;
      }
      toInsert.push(this.newVersion(module, 'shipped', hash, null));
    }
    if (problems.length) throw new ModuleLoadError(problems);
    if (toInsert.length) {
      await this.versions.insert(toInsert);
      this.logger.log(`Published ${toInsert.map((v) => `${v.moduleKey}@${v.version}`).join(', ')}`);
    }
  }

  private newVersion(module: QuestionnaireModule, source: QuestionnaireSource, hash: string, by: string | null): QuestionnaireVersionEntity {
    return this.versions.create({
      id: randomUUID(),
      moduleKey: module.key,
      version: module.version,
      titleEn: module.title.en.slice(0, 300),
      titleZh: module.title['zh-CN'].slice(0, 300),
      source,
      contentHash: hash,
      questionCount: questionCount(module),
      definition: module,
      publishedAt: this.clock.now(),
      publishedBy: by,
    });
  }

  isShipped(key: string): boolean {
    return this.shippedKeys.has(key);
  }

  /** The newest version of every module. */
  async latestVersions(): Promise<VersionSummary[]> {
    const all = await this.versions.find({ select: SUMMARY_COLUMNS, order: { moduleKey: 'ASC' } });
    const latest = new Map<string, VersionSummary>();
    for (const v of all) {
      const seen = latest.get(v.moduleKey);
      if (!seen || compareVersions(v.version, seen.version) > 0) latest.set(v.moduleKey, v);
    }
    return [...latest.values()];
  }

  async versionsOf(key: string): Promise<VersionSummary[]> {
    const list = await this.versions.find({ select: SUMMARY_COLUMNS, where: { moduleKey: key } });
    if (!list.length) throw new QuestionnaireException(QuestionnaireErrorCode.NotFound);
    return list.sort((a, b) => compareVersions(b.version, a.version));
  }

  /** One version with its definition; the newest when `version` is omitted. */
  async getVersion(key: string, version?: string): Promise<QuestionnaireVersionEntity> {
    const v = version ?? (await this.versionsOf(key))[0].version;
    const found = await this.versions.findOne({ where: { moduleKey: key, version: v } });
    if (!found) throw new QuestionnaireException(QuestionnaireErrorCode.NotFound);
    this.compiled.set(found.id, found.definition);
    return found;
  }

  /** Definitions of the given version ids, from the cache when possible (versions never change). */
  async definitions(ids: readonly string[]): Promise<QuestionnaireModule[]> {
    const missing = ids.filter((id) => !this.compiled.has(id));
    if (missing.length) {
      const rows = await this.versions.find({ select: { id: true, definition: true }, where: { id: In(missing) } });
      for (const r of rows) this.compiled.set(r.id, r.definition);
    }
    return ids.map((id) => {
      const d = this.compiled.get(id);
      if (!d) throw new QuestionnaireException(QuestionnaireErrorCode.NotFound, `Questionnaire version ${id} is missing`);
      return d;
    });
  }

  private readonly compiledSets = new Map<string, CompiledQuestionnaire>();

  /** The compiled questionnaire of a list of version ids (cached: the versions are immutable). */
  async compile(ids: readonly string[]): Promise<CompiledQuestionnaire> {
    const cacheKey = ids.join(',');
    const hit = this.compiledSets.get(cacheKey);
    if (hit) return hit;
    const compiled = compileQuestionnaire(await this.definitions(ids));
    if (this.compiledSets.size > 500) this.compiledSets.clear();
    this.compiledSets.set(cacheKey, compiled);
    return compiled;
  }

  /** The newest versions of the given module keys, checked to be sendable together. */
  async resolveForSending(keys: readonly string[]): Promise<QuestionnaireVersionEntity[]> {
    const latest = await this.latestVersions();
    const errors: FieldError[] = [];
    keys.forEach((k, i) => {
      if (!latest.some((v) => v.moduleKey === k)) errors.push({ path: `modules.${i}`, message: `there is no questionnaire module '${k}'`, rule: 'exists' });
    });
    if (errors.length) throw new QuestionnaireException(QuestionnaireErrorCode.NotFound, 'Unknown questionnaire module.', errors);
    const chosen = await Promise.all(keys.map((k) => this.getVersion(k, latest.find((v) => v.moduleKey === k)!.version)));
    const shared = sharedQuestionKeys(chosen.map((c) => c.definition));
    if (shared.length) {
      throw new QuestionnaireException(
        QuestionnaireErrorCode.SharedQuestionKeys,
        `These modules ask the same questions (${shared.slice(0, 5).join(', ')}${shared.length > 5 ? ', …' : ''}); send only one of them.`,
        [{ path: 'modules', message: 'modules share question keys', rule: 'distinctQuestions' }],
      );
    }
    return chosen;
  }

  /**
   * Publishes a checked module as a new version (an import, or an edit of an existing module).
   * The version must be newer than every published one of the same key; shipped keys are
   * changed only through their YAML files.
   */
  async publish(module: QuestionnaireModule, source: Exclude<QuestionnaireSource, 'shipped'>, actor: AuditActor): Promise<QuestionnaireVersionEntity> {
    if (this.shippedKeys.has(module.key)) {
      throw new QuestionnaireException(QuestionnaireErrorCode.ShippedKey, `'${module.key}' is a shipped module; import under another key.`, [
        { path: 'key', message: 'is the key of a shipped module', rule: 'notShipped' },
      ]);
    }
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(QuestionnaireVersionEntity);
      const existing = await repo.find({ select: { id: true, version: true }, where: { moduleKey: module.key } });
      if (existing.some((v) => v.version === module.version)) {
        throw new QuestionnaireException(QuestionnaireErrorCode.VersionExists, `${module.key}@${module.version} is already published; published versions do not change.`, [
          { path: 'version', message: 'is already published', rule: 'newVersion' },
        ]);
      }
      const newest = existing.map((v) => v.version).sort(compareVersions).pop();
      if (newest && compareVersions(module.version, newest) <= 0) {
        throw new QuestionnaireException(QuestionnaireErrorCode.VersionNotNewer, `The version must be newer than ${newest}.`, [
          { path: 'version', message: `must be newer than ${newest}`, rule: 'newVersion' },
        ]);
      }
      const entity = this.newVersion(module, source, contentHash(module), actor.actorId);
      await repo.insert(entity);
      await this.audit.record(
        actor,
        { action: 'questionnaire.publish', targetType: 'questionnaire', targetId: entity.id, details: { key: module.key, version: module.version, source, questions: entity.questionCount } },
        m,
      );
      return entity;
    });
  }
}
