import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, Req, Res } from '@nestjs/common';
import { ApiConsumes, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { ID_PARAM } from '../common/http/id-param';
import { isLocale } from '../i18n/i18n';
import { PortalAccessService } from './portal-access.service';
import { requireFile, UploadReader, UploadRoute } from '../storage/upload-reader';
import { portalActor, portalContext, QuestionKeyPipe } from './portal-request';
import { PortalSession } from './portal-session.guard';
import { PortalService } from './portal.service';
import type { PortalView } from './portal-view';
import { EvidenceFileDto, PortalSessionDto, PortalSessionRequestDto, SaveAnswerDto, SavedAnswerDto, SubmittedDto, ConfirmAnswerDto } from './dto/portal.dto';
import { attachmentDisposition } from '../common/http/content-disposition';

/**
 * The vendor portal as JSON, for vendors who answer by integration. Every route works on the
 * one assessment of the caller's portal session; no route takes an assessment id.
 */
@ApiTags('portal')
@Controller('api/portal')
export class PortalApiController {
  constructor(
    private readonly portal: PortalService,
    private readonly access: PortalAccessService,
    private readonly uploads: UploadReader,
  ) {}

  /** Exchanges a link token for a portal session token (throttled per IP). */
  @Post('session')
  @Public()
  @HttpCode(200)
  @ApiOkResponse({ type: PortalSessionDto })
  async session(@Body() dto: PortalSessionRequestDto, @Req() req: FastifyRequest): Promise<PortalSessionDto> {
    const s = await this.access.exchange(dto.token, req.ip);
    return { token: s.token, expiresAt: s.expiresAt.toISOString() };
  }

  @Get('assessment')
  @PortalSession()
  async assessment(@Req() req: FastifyRequest, @Query('lang') lang?: string): Promise<PortalView> {
    const ctx = portalContext(req);
    return this.portal.view(ctx, isLocale(lang) ? lang : await this.portal.language(ctx));
  }

  @Put('answers/:key')
  @PortalSession()
  @ApiOkResponse({ type: SavedAnswerDto })
  async save(@Param('key', QuestionKeyPipe) key: string, @Body() dto: SaveAnswerDto, @Req() req: FastifyRequest): Promise<SavedAnswerDto> {
    return this.portal.saveAnswer(portalContext(req), key, dto, portalActor(req));
  }

  /** Confirms an answer carried over from the vendor's last assessment as still true. */
  @Post('answers/:key/confirm')
  @HttpCode(200)
  @PortalSession()
  @ApiOkResponse({ type: SavedAnswerDto })
  async confirm(@Param('key', QuestionKeyPipe) key: string, @Body() dto: ConfirmAnswerDto, @Req() req: FastifyRequest): Promise<SavedAnswerDto> {
    return this.portal.confirmAnswer(portalContext(req), key, dto.baseVersion);
  }

  @Post('answers/:key/evidence')
  @PortalSession()
  @UploadRoute()
  @ApiConsumes('multipart/form-data')
  @ApiCreatedResponse({ type: EvidenceFileDto })
  async upload(@Param('key', QuestionKeyPipe) key: string, @Req() req: FastifyRequest): Promise<EvidenceFileDto> {
    return this.uploads.receive(req, async ({ file }) => EvidenceFileDto.from(await this.portal.addEvidence(portalContext(req), key, requireFile(file), portalActor(req))));
  }

  @Get('evidence/:id')
  @PortalSession()
  async download(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const { file, data } = await this.portal.evidenceFile(portalContext(req), id);
    await reply.header('content-type', file.mime).header('content-disposition', attachmentDisposition(file.name)).header('cache-control', 'no-store').send(data);
  }

  @Delete('evidence/:id')
  @PortalSession()
  @HttpCode(204)
  @ApiNoContentResponse()
  async remove(@Param('id', ID_PARAM) id: string, @Req() req: FastifyRequest): Promise<void> {
    await this.portal.removeEvidence(portalContext(req), id, portalActor(req));
  }

  @Post('submit')
  @PortalSession()
  @HttpCode(200)
  @ApiOkResponse({ type: SubmittedDto })
  async submit(@Req() req: FastifyRequest): Promise<SubmittedDto> {
    const s = await this.portal.submit(portalContext(req), portalActor(req));
    return { status: s.assessment.status, submittedAt: new Date(s.assessment.submittedAt!).toISOString() };
  }
}
