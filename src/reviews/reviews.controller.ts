import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { actorFromRequest } from '../audit/audit-context';
import { Authenticated } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { AssessmentDto } from '../assessments/dto/assessment.dto';
import { attachmentDisposition } from '../common/http/content-disposition';
import { ID_PARAM } from '../common/http/id-param';
import { PageDto, toPage } from '../common/http/pagination.dto';
import { isLocale } from '../i18n/i18n';
import { resolveLocale } from '../i18n/request-locale';
import { QuestionKeyPipe } from '../portal/portal-request';
import { AcceptRiskDto, ClarificationRequestDto, CompleteReviewDto, CreateFindingDto, FindingQueryDto, ReviewAnswerDto, UpdateFindingDto } from './dto/review-input.dto';
import { FindingDto } from './dto/finding.dto';
import type { ReviewSheet } from './review-sheet';
import { ReviewsService } from './reviews.service';

/** Review of a submitted assessment: the sheet with every score explained, verdicts, clarification, completion. */
@ApiTags('reviews')
@Controller('api/assessments/:id')
export class ReviewsController {
  constructor(private readonly reviews: ReviewsService) {}

  /** Every question with its answer, evidence, score and the rule behind it; sections and overall with their sums. */
  @Get('review')
  @Authenticated({ permission: Permission.AssessmentRead })
  async sheet(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Query('lang') lang?: string): Promise<ReviewSheet & { assessment: AssessmentDto }> {
    const { state, sheet } = await this.reviews.sheet(id, isLocale(lang) ? lang : resolveLocale(req));
    return { assessment: AssessmentDto.from(state.assessment, state.vendor), ...sheet };
  }

  @Get('evidence/:fileId')
  @Authenticated({ permission: Permission.EvidenceRead })
  async evidence(@Param('id', ID_PARAM) id: string, @Param('fileId', ID_PARAM) fileId: string, @Res() reply: FastifyReply): Promise<void> {
    const { file, data } = await this.reviews.evidence(id, fileId);
    await reply.header('content-type', file.mime).header('content-disposition', attachmentDisposition(file.name)).header('cache-control', 'no-store').send(data);
  }

  @Post('review/start')
  @HttpCode(200)
  @Authenticated({ permission: Permission.AssessmentReview })
  @ApiOkResponse({ type: AssessmentDto })
  async start(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest): Promise<AssessmentDto> {
    return AssessmentDto.from(await this.reviews.start(id, actorFromRequest(req)));
  }

  @Put('answers/:key/review')
  @Authenticated({ permission: Permission.AssessmentReview })
  @ApiOkResponse({ type: AssessmentDto })
  async reviewAnswer(@Param('id', ID_PARAM) id: string, @Param('key', QuestionKeyPipe) key: string, @Body() dto: ReviewAnswerDto, @Req() req: FastifyRequest): Promise<AssessmentDto> {
    return AssessmentDto.from((await this.reviews.reviewAnswer(id, key, dto, actorFromRequest(req))).assessment);
  }

  @Post('clarification')
  @HttpCode(200)
  @Authenticated({ permission: Permission.AssessmentReview })
  @ApiOkResponse({ type: AssessmentDto })
  async clarify(@Param('id', ID_PARAM) id: string, @Body() dto: ClarificationRequestDto, @Req() req: FastifyRequest): Promise<AssessmentDto> {
    return AssessmentDto.from(await this.reviews.requestClarification(id, dto, actorFromRequest(req)));
  }

  @Post('complete')
  @HttpCode(200)
  @Authenticated({ permission: Permission.AssessmentReview })
  async complete(@Param('id', ID_PARAM) id: string, @Body() dto: CompleteReviewDto, @Req() req: FastifyRequest): Promise<{ assessment: AssessmentDto; findings: FindingDto[] }> {
    const r = await this.reviews.complete(id, dto, actorFromRequest(req));
    return { assessment: AssessmentDto.from(r.assessment), findings: r.findings.map(FindingDto.from) };
  }
}

@ApiTags('findings')
@Controller('api/findings')
export class FindingsController {
  constructor(private readonly reviews: ReviewsService) {}

  @Get()
  @Authenticated({ permission: Permission.AssessmentRead })
  async list(@Query() q: FindingQueryDto): Promise<PageDto<FindingDto>> {
    return toPage(await this.reviews.listFindings(q), q, FindingDto.from);
  }

  @Post()
  @Authenticated({ permission: Permission.FindingManage })
  @ApiCreatedResponse({ type: FindingDto })
  async create(@Body() dto: CreateFindingDto, @Req() req: FastifyRequest): Promise<FindingDto> {
    return FindingDto.from(await this.reviews.createFinding(dto, actorFromRequest(req)));
  }

  @Get(':id')
  @Authenticated({ permission: Permission.AssessmentRead })
  @ApiOkResponse({ type: FindingDto })
  async get(@Param('id', ID_PARAM) id: string): Promise<FindingDto> {
    return FindingDto.from(await this.reviews.getFinding(id));
  }

  @Patch(':id')
  @Authenticated({ permission: Permission.FindingManage })
  @ApiOkResponse({ type: FindingDto })
  async update(@Param('id', ID_PARAM) id: string, @Body() dto: UpdateFindingDto, @Req() req: FastifyRequest): Promise<FindingDto> {
    return FindingDto.from(await this.reviews.updateFinding(id, dto, actorFromRequest(req)));
  }

  @Post(':id/accept-risk')
  @HttpCode(200)
  @Authenticated({ permission: Permission.RiskAccept })
  @ApiOkResponse({ type: FindingDto })
  async acceptRisk(@Param('id', ID_PARAM) id: string, @Body() dto: AcceptRiskDto, @Req() req: FastifyRequest): Promise<FindingDto> {
    return FindingDto.from(await this.reviews.acceptRisk(id, dto, actorFromRequest(req)));
  }
}
