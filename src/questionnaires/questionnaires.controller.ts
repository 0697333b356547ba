import { Body, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorFromRequest } from '../audit/audit-context';
import { attachmentDisposition } from '../common/http/content-disposition';
import { readWhole, requireFile, UploadReader, UploadRoute } from '../storage/upload-reader';
import { ExportQueryDto, ImportMetaDto, PublishVersionDto } from './dto/questionnaire-input.dto';
import { QuestionnaireTransferService } from './questionnaire-transfer.service';
import { Authenticated } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { QuestionnaireDetailDto, QuestionnaireVersionDto } from './dto/questionnaire.dto';
import { ModuleKeyPipe, VersionPipe } from './questionnaire-params';
import { QuestionnairesService } from './questionnaires.service';

@ApiTags('questionnaires')
@Controller('api/questionnaires')
export class QuestionnairesController {
  constructor(
    private readonly questionnaires: QuestionnairesService,
    private readonly transfer: QuestionnaireTransferService,
    private readonly uploads: UploadReader,
  ) {}

  /**
   * Imports a customer's questionnaire from CSV or XLSX (multipart: `file`, `key`, `version`,
   * `titleEn`, optional `titleZh`) as a new module, or a new version of an imported one.
   * Columns: key, section, text, type, options, weight, critical (+ optional ones, see README).
   */
  @Post('import')
  @Authenticated({ permission: Permission.QuestionnaireManage })
  @UploadRoute()
  @ApiConsumes('multipart/form-data')
  @ApiCreatedResponse({ type: QuestionnaireVersionDto })
  async import(@Req() req: FastifyRequest): Promise<QuestionnaireVersionDto> {
    return this.uploads.receive(req, async ({ fields, file }) => {
      const meta = await ImportMetaDto.fromMultipart(fields);
      return QuestionnaireVersionDto.from(await this.transfer.importTable(await readWhole(requireFile(file)), meta, actorFromRequest(req)));
    });
  }

  /** Publishes an edited module as a new version: its full definition, with a newer `version`. */
  @Post(':key/versions')
  @Authenticated({ permission: Permission.QuestionnaireManage })
  @ApiCreatedResponse({ type: QuestionnaireVersionDto })
  async publish(@Param('key', ModuleKeyPipe) key: string, @Body() dto: PublishVersionDto, @Req() req: FastifyRequest): Promise<QuestionnaireVersionDto> {
    return QuestionnaireVersionDto.from(await this.transfer.publishEdited(key, dto.definition, actorFromRequest(req)));
  }

  /** One version as a CSV or XLSX table (the import format). */
  @Get(':key/versions/:version/export')
  @Authenticated({ permission: Permission.QuestionnaireRead })
  async export(
    @Param('key', ModuleKeyPipe) key: string,
    @Param('version', VersionPipe) version: string,
    @Query() q: ExportQueryDto,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const file = await this.transfer.exportModule(key, version, q.format);
    await reply.header('content-type', file.mime).header('content-disposition', attachmentDisposition(file.name)).header('cache-control', 'no-store').send(file.data);
  }

  /** The newest version of every module. */
  @Get()
  @Authenticated({ permission: Permission.QuestionnaireRead })
  @ApiOkResponse({ type: [QuestionnaireVersionDto] })
  async list(): Promise<QuestionnaireVersionDto[]> {
    return (await this.questionnaires.latestVersions()).map(QuestionnaireVersionDto.from);
  }

  /** The newest version with its definition, and the list of all versions. */
  @Get(':key')
  @Authenticated({ permission: Permission.QuestionnaireRead })
  @ApiOkResponse({ type: QuestionnaireDetailDto })
  async get(@Param('key', ModuleKeyPipe) key: string): Promise<QuestionnaireDetailDto> {
    return this.detail(key);
  }

  @Get(':key/versions/:version')
  @Authenticated({ permission: Permission.QuestionnaireRead })
  @ApiOkResponse({ type: QuestionnaireDetailDto })
  async version(@Param('key', ModuleKeyPipe) key: string, @Param('version', VersionPipe) version: string): Promise<QuestionnaireDetailDto> {
    return this.detail(key, version);
  }

  private async detail(key: string, version?: string): Promise<QuestionnaireDetailDto> {
    const versions = await this.questionnaires.versionsOf(key);
    const v = await this.questionnaires.getVersion(key, version ?? versions[0].version);
    return { ...QuestionnaireVersionDto.from(v), definition: v.definition, versions: versions.map((x) => x.version) };
  }
}
