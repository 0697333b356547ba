import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { filterQuery } from '../common/forms/page-problems';
import { Authenticated } from '../auth/auth.decorators';
import { Permission } from '../auth/permissions';
import { validateForm, validationProblem } from '../common/forms/form-body';
import { renderPage } from '../common/http/page-renderer';
import { TIERS } from '../vendors/vendor.enums';
import { DashboardQueryDto } from './dashboard-query.dto';
import { dashboardLinks } from './dashboard-links';
import { DashboardService } from './dashboard.service';

/** The dashboard page: what needs attention today, each count a link to the list behind it. */
@ApiExcludeController()
@Controller()
export class DashboardPagesController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get('dashboard')
  @Authenticated({ permission: Permission.VendorRead })
  async show(@Req() req: FastifyRequest, @Res() reply: FastifyReply) {
    const { dto: query, errors } = await validateForm(DashboardQueryDto, filterQuery(req));
    if (errors.length) throw validationProblem(errors);
    const ownerId = query.mine ? req.auth!.user.id : undefined;
    const counts = await this.dashboard.counts(ownerId);
    // Rows from the highest tier down; columns the same, then "not assessed".
    const tiers = [...TIERS].reverse();
    return renderPage(req, reply, 'dashboard/show', { counts, links: dashboardLinks(ownerId), mine: query.mine === true, tiers, risks: [...tiers, 'none'] });
  }
}
