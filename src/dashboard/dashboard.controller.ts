import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Auth, Authenticated } from '../auth/auth.decorators';
import type { AuthContext } from '../auth/auth-context';
import { Permission } from '../auth/permissions';
import { DashboardQueryDto } from './dashboard-query.dto';
import { DashboardCounts, DashboardService } from './dashboard.service';
import { dashboardLinks, DashboardLinks } from './dashboard-links';

/** What needs attention today, with the address of the list behind each count. */
@ApiTags('dashboard')
@Controller('api/dashboard')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get()
  @Authenticated({ permission: Permission.VendorRead })
  async get(@Query() q: DashboardQueryDto, @Auth() auth: AuthContext): Promise<DashboardCounts & { links: DashboardLinks }> {
    const ownerId = q.mine ? auth.user.id : undefined;
    return { ...(await this.dashboard.counts(ownerId)), links: dashboardLinks(ownerId) };
  }
}
