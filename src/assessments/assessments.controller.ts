import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { attachmentDisposition } from '../common/http/content-disposition';
import { resolveLocale } from '../i18n/request-locale';
import { ExportQueryDto } from '../questionnaires/dto/questionnaire-input.dto';
import { AssessmentExportService } from './assessment-export.service';
import { actorFromRequest } from '../audit/audit-context';
import { Authenticated } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { ID_PARAM } from '../common/http/id-param';
import { PageDto, toPage } from '../common/http/pagination.dto';
import { AssessmentsService } from './assessments.service';
import { AssessmentQueryDto, CancelAssessmentDto, CreateAssessmentDto, ProposalQueryDto, ResendAssessmentDto } from './dto/assessment-input.dto';
import { AssessmentDto, PortalLinkDto, ProposalDto, SentAssessmentDto } from './dto/assessment.dto';

@ApiTags('assessments')
@Controller('api/assessments')
export class AssessmentsController {
  constructor(
    private readonly assessments: AssessmentsService,
    private readonly exporter: AssessmentExportService,
  ) {}

  @Get()
  @Authenticated({ permission: Permission.AssessmentRead })
  async list(@Query() query: AssessmentQueryDto): Promise<PageDto<AssessmentDto>> {
    return toPage(await this.assessments.list(query), query, (a) => AssessmentDto.from(a, a.vendor));
  }

  /** Creates an assessment and, unless `send` is false, sends the link; the link is shown this once. */
  @Post()
  @Authenticated({ permission: Permission.AssessmentSend })
  @ApiCreatedResponse({ type: SentAssessmentDto })
  async create(@Body() dto: CreateAssessmentDto, @Req() req: FastifyRequest): Promise<SentAssessmentDto> {
    const r = await this.assessments.create(dto, actorFromRequest(req));
    return { assessment: AssessmentDto.from(r.assessment), link: r.link ? PortalLinkDto.from(r.link) : null };
  }

  /** The modules proposed by default for a vendor (its tier, category and data), before sending. */
  @Get('proposal')
  @Authenticated({ permission: Permission.AssessmentSend })
  @ApiOkResponse({ type: ProposalDto })
  async proposal(@Query() q: ProposalQueryDto): Promise<ProposalDto> {
    return { modules: await this.assessments.proposedModulesFor(q.vendorId) };
  }

  @Get(':id')
  @Authenticated({ permission: Permission.AssessmentRead })
  @ApiOkResponse({ type: AssessmentDto })
  async get(@Param('id', ID_PARAM) id: string): Promise<AssessmentDto> {
    return AssessmentDto.from(await this.assessments.getEntity(id));
  }

  /** The vendor's answers with comments, evidence (name and SHA-256), scores and verdicts, as CSV or XLSX. */
  @Get(':id/answers/export')
  @Authenticated({ permission: Permission.AssessmentRead })
  async exportAnswers(@Param('id', ID_PARAM) id: string, @Query() q: ExportQueryDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const file = await this.exporter.exportAnswers(id, q.format, q.lang ?? resolveLocale(req));
    await reply.header('content-type', file.mime).header('content-disposition', attachmentDisposition(file.name)).header('cache-control', 'no-store').send(file.data);
  }

  @Post(':id/send')
  @HttpCode(200)
  @Authenticated({ permission: Permission.AssessmentSend })
  @ApiOkResponse({ type: SentAssessmentDto })
  async send(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest): Promise<SentAssessmentDto> {
    const r = await this.assessments.send(id, actorFromRequest(req));
    return { assessment: AssessmentDto.from(r.assessment), link: PortalLinkDto.from(r.link) };
  }

  /** A new link (the previous one stops working), mailed again; reopens an expired questionnaire. */
  @Post(':id/resend')
  @HttpCode(200)
  @Authenticated({ permission: Permission.AssessmentSend })
  @ApiOkResponse({ type: SentAssessmentDto })
  async resend(@Param('id', ID_PARAM) id: string, @Body() dto: ResendAssessmentDto, @Req() req: FastifyRequest): Promise<SentAssessmentDto> {
    const r = await this.assessments.resend(id, dto, actorFromRequest(req));
    return { assessment: AssessmentDto.from(r.assessment), link: PortalLinkDto.from(r.link) };
  }

  @Post(':id/revoke-link')
  @HttpCode(200)
  @Authenticated({ permission: Permission.AssessmentSend })
  @ApiOkResponse({ type: AssessmentDto })
  async revoke(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest): Promise<AssessmentDto> {
    return AssessmentDto.from(await this.assessments.revokeLink(id, actorFromRequest(req)));
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Authenticated({ permission: Permission.AssessmentSend })
  @ApiOkResponse({ type: AssessmentDto })
  async cancel(@Param('id', ID_PARAM) id: string, @Body() dto: CancelAssessmentDto, @Req() req: FastifyRequest): Promise<AssessmentDto> {
    return AssessmentDto.from(await this.assessments.cancel(id, dto.reason, actorFromRequest(req)));
  }
}
