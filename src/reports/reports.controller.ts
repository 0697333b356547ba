import { Controller, Get, Param, Query, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Authenticated } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { attachmentDisposition } from '../common/http/content-disposition';
import { ID_PARAM } from '../common/http/id-param';
import { resolveLocale } from '../i18n/request-locale';
import { PortfolioReportQueryDto, ReportQueryDto } from './dto/report-query.dto';
import { ReportFile, ReportsService } from './reports.service';

/**
 * The PDF reports, streamed as they are written. Each needs the permissions of every kind of
 * data it shows: vendors, assessments (answers, scores, findings, evidence names) and contracts.
 */
@ApiTags('reports')
@Controller('api')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  /** A vendor's risk summary: cover block, summary, section scores, findings, clause coverage, evidence; `appendix=true` adds every question. */
  @Get('vendors/:id/risk-summary.pdf')
  @Authenticated({ permission: Permission.VendorRead, alsoNeeds: [Permission.AssessmentRead, Permission.ContractRead] })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The PDF' })
  async vendorSummary(@Param('id', ID_PARAM) id: string, @Query() q: ReportQueryDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await send(reply, await this.reports.vendorSummary(id, q.lang ?? resolveLocale(req), q.appendix ?? false));
  }

  /** An assessment's report: once completed, the snapshot stored at completion (with its appendix); before, a provisional one. */
  @Get('assessments/:id/report.pdf')
  @Authenticated({ permission: Permission.AssessmentRead, alsoNeeds: [Permission.VendorRead, Permission.ContractRead] })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The PDF; header x-report-snapshot says whether it is the stored snapshot' })
  async assessmentReport(@Param('id', ID_PARAM) id: string, @Query() q: ReportQueryDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await send(reply, await this.reports.assessmentReport(id, q.lang ?? resolveLocale(req), q.appendix ?? false));
  }

  /** The portfolio: tier × residual-risk heat map, overdue reviews, the next 90 days, top findings, clause gaps. */
  @Get('reports/portfolio.pdf')
  @Authenticated({ permission: Permission.VendorRead, alsoNeeds: [Permission.AssessmentRead, Permission.ContractRead] })
  @ApiProduces('application/pdf')
  @ApiOkResponse({ description: 'The PDF' })
  async portfolio(@Query() q: PortfolioReportQueryDto, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await send(reply, await this.reports.portfolio(q.lang ?? resolveLocale(req)));
  }
}

async function send(reply: FastifyReply, file: ReportFile): Promise<void> {
  await reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', attachmentDisposition(file.fileName))
    .header('cache-control', 'no-store')
    .header('x-report-snapshot', String(file.snapshot))
    .send(file.stream);
}
