import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { actorFromRequest } from '../audit/audit-context';
import { AppException } from '../common/errors/app-exception';
import { noticeFrom, renderPage } from '../common/http/page-renderer';
import { readWhole, requireFile, UploadReader, UploadRoute } from '../storage/upload-reader';
import { ImportMetaDto } from './dto/questionnaire-input.dto';
import { QuestionnaireTransferService } from './questionnaire-transfer.service';
import { CONTROL_AREAS } from './control-areas';
import { ModuleKeyPipe, VersionPipe } from './questionnaire-params';
import { QuestionnairesService } from './questionnaires.service';

/** The questionnaire library as pages: every module, and one version of a module written out. */
@ApiExcludeController()
@Controller('questionnaires')
export class QuestionnairePagesController {
  private readonly versionPipe = new VersionPipe();

  constructor(
    private readonly questionnaires: QuestionnairesService,
    private readonly transfer: QuestionnaireTransferService,
    private readonly uploads: UploadReader,
  ) {}

  @Get()
  @Authenticated({ permission: Permission.QuestionnaireRead })
  async list(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const modules = await this.questionnaires.latestVersions();
    return renderPage(req, reply, 'questionnaires/list', { modules, notice: noticeFrom(req), importErrors: [], values: {} });
  }

  /** Imports a CSV/XLSX questionnaire from the form on the list page; problems are listed with their lines. */
  @Post('import')
  @Authenticated({ permission: Permission.QuestionnaireManage })
  @UploadRoute()
  async import(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    return this.uploads.receive(req, async ({ fields, file }) => {
      const values = { key: fields.key, version: fields.version, titleEn: fields.titleEn, titleZh: fields.titleZh };
      try {
        const meta = await ImportMetaDto.fromMultipart(values);
        const v = await this.transfer.importTable(await readWhole(requireFile(file)), meta, actorFromRequest(req));
        return reply.redirect(`/questionnaires/${v.moduleKey}?notice=imported`, 303);
      } catch (err) {
        if (!(err instanceof AppException) || (err.fieldErrors === undefined && !err.detail)) throw err;
        const modules = await this.questionnaires.latestVersions();
        const importErrors = err.fieldErrors?.length ? err.fieldErrors.map((e) => (e.path.startsWith('line.') ? e.message : `${e.path}: ${e.message}`)) : [err.detail ?? err.code];
        return renderPage(req, reply, 'questionnaires/list', { modules, notice: null, importErrors, values }, 400);
      }
    });
  }

  /** `?version=` picks a published version (the newest by default); a malformed or unknown one is 404. */
  @Get(':key')
  @Authenticated({ permission: Permission.QuestionnaireRead })
  async detail(@Param('key', ModuleKeyPipe) key: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const asked = (req.query as Record<string, unknown>).version;
    const versions = await this.questionnaires.versionsOf(key);
    const chosen = typeof asked === 'string' && asked !== '' ? this.versionPipe.transform(asked) : versions[0].version;
    const version = await this.questionnaires.getVersion(key, chosen);
    return renderPage(req, reply, 'questionnaires/detail', {
      versions,
      version,
      module: version.definition,
      latest: versions[0].version,
      notice: noticeFrom(req),
      areas: Object.fromEntries(CONTROL_AREAS.map((a) => [a.id, a.title])),
    });
  }
}
