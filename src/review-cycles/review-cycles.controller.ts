import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { actorFromRequest } from '../audit/audit-context';
import { Authenticated } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { Clock } from '../clock/clock';
import { toIsoDate } from '../common/dates';
import { ID_PARAM } from '../common/http/id-param';
import { PageDto, toPage } from '../common/http/pagination.dto';
import { CompleteReviewCycleDto, ReviewCycleQueryDto, StartReassessmentDto } from './dto/review-cycle-input.dto';
import { ReviewCycleDto } from './dto/review-cycle.dto';
import { ReviewCyclesService } from './review-cycles.service';

/** Review cycles: yearly re-assessments, contract renewals, accepted risks coming to their end. */
@ApiTags('review cycles')
@Controller('api/review-cycles')
export class ReviewCyclesController {
  constructor(
    private readonly cycles: ReviewCyclesService,
    private readonly clock: Clock,
  ) {}

  private today(): string {
    return toIsoDate(this.clock.now());
  }

  @Get()
  @Authenticated({ permission: Permission.VendorRead })
  async list(@Query() q: ReviewCycleQueryDto): Promise<PageDto<ReviewCycleDto>> {
    const today = this.today();
    return toPage(await this.cycles.list(q, today), q, (r) => ReviewCycleDto.from(r, today));
  }

  @Get(':id')
  @Authenticated({ permission: Permission.VendorRead })
  @ApiOkResponse({ type: ReviewCycleDto })
  async get(@Param('id', ID_PARAM) id: string): Promise<ReviewCycleDto> {
    return ReviewCycleDto.from(await this.cycles.get(id), this.today());
  }

  /** Sends the re-assessment questionnaire (the link is in the answer once, as when sending). */
  @Post(':id/start')
  @HttpCode(200)
  @Authenticated({ permission: Permission.AssessmentSend })
  async start(@Param('id', ID_PARAM) id: string, @Body() dto: StartReassessmentDto, @Req() req: FastifyRequest): Promise<{ review: ReviewCycleDto; assessmentId: string; link: { url: string; mailed: boolean } | null }> {
    const r = await this.cycles.startReassessment(id, dto, actorFromRequest(req));
    return { review: ReviewCycleDto.from(r.cycle, this.today()), assessmentId: r.assessmentId, link: r.link };
  }

  @Post(':id/complete')
  @HttpCode(200)
  @Authenticated({ permission: Permission.ReviewCycleComplete })
  @ApiOkResponse({ type: ReviewCycleDto })
  async complete(@Param('id', ID_PARAM) id: string, @Body() dto: CompleteReviewCycleDto, @Req() req: FastifyRequest): Promise<ReviewCycleDto> {
    return ReviewCycleDto.from(await this.cycles.complete(id, dto, actorFromRequest(req)), this.today());
  }
}
